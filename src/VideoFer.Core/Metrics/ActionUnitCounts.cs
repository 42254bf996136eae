namespace VideoFer.Metrics;

/// <summary>Per-AU binary counts (true/false positives and negatives) accumulated over frames, so a
/// scorer can add video by video and pool them like the organisers' concatenated arrays.
/// A truth value of -1 (not annotated) is skipped for that AU; predictions must be 0 or 1.</summary>
public sealed class ActionUnitCounts
{
    readonly long[] _tp, _fp, _fn, _tn;

    public ActionUnitCounts(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            throw new ArgumentException("at least one AU", nameof(names));
        Names = names;
        _tp = new long[names.Count];
        _fp = new long[names.Count];
        _fn = new long[names.Count];
        _tn = new long[names.Count];
    }

    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;

    /// <summary>Frames that had at least one annotated AU.</summary>
    public long Frames { get; private set; }

    public long TruePositives(int au) => _tp[au];
    public long FalsePositives(int au) => _fp[au];
    public long FalseNegatives(int au) => _fn[au];
    public long TrueNegatives(int au) => _tn[au];

    /// <summary>Annotated decisions of one AU (frames where its truth is 0 or 1).</summary>
    public long Decisions(int au) => _tp[au] + _fp[au] + _fn[au] + _tn[au];

    /// <summary>Adds one frame: <paramref name="truth"/> holds 1, 0 or -1 per AU, <paramref name="predicted"/> 0 or 1.</summary>
    public void Add(ReadOnlySpan<sbyte> truth, ReadOnlySpan<sbyte> predicted)
    {
        if (truth.Length != Count || predicted.Length != Count)
            throw new ArgumentException($"a frame needs {Count} AU values, got {truth.Length} truth and {predicted.Length} predicted");
        bool any = false;
        for (int j = 0; j < Count; j++)
        {
            int p = predicted[j];
            if (p is not (0 or 1))
                throw new ArgumentOutOfRangeException(nameof(predicted), $"{Names[j]}: prediction {p} is not 0 or 1");
            switch (truth[j])
            {
                case -1: continue;
                case 1: if (p == 1) _tp[j]++; else _fn[j]++; break;
                case 0: if (p == 1) _fp[j]++; else _tn[j]++; break;
                default: throw new ArgumentOutOfRangeException(nameof(truth), $"{Names[j]}: truth {truth[j]} is not 1, 0 or -1");
            }
            any = true;
        }
        if (any) Frames++;
    }

    /// <summary>Adds frame-major rows (<see cref="Count"/> values per frame).</summary>
    public void AddFrames(ReadOnlySpan<sbyte> truth, ReadOnlySpan<sbyte> predicted)
    {
        if (truth.Length != predicted.Length || truth.Length % Count != 0)
            throw new ArgumentException($"frame-major AU values must hold {Count} per frame for both, got {truth.Length} truth and {predicted.Length} predicted");
        for (int offset = 0; offset < truth.Length; offset += Count)
            Add(truth.Slice(offset, Count), predicted.Slice(offset, Count));
    }

    public void Add(ActionUnitCounts other)
    {
        if (!other.Names.SequenceEqual(Names))
            throw new ArgumentException($"AU lists differ: {string.Join(",", Names)} vs {string.Join(",", other.Names)}");
        for (int j = 0; j < Count; j++)
        {
            _tp[j] += other._tp[j];
            _fp[j] += other._fp[j];
            _fn[j] += other._fn[j];
            _tn[j] += other._tn[j];
        }
        Frames += other.Frames;
    }
}
