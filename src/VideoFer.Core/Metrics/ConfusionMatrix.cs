namespace VideoFer.Metrics;

/// <summary>Counts of (true class, predicted class) pairs. Truth -1 (ignored frames) is not counted. A sample with
/// no prediction at all (a photo where no face was found) is a <see cref="AddMiss">miss</see>: wrong for accuracy and
/// for its class's recall, predicted as no class (as scikit-learn scores a prediction outside <c>labels</c>).</summary>
public sealed class ConfusionMatrix
{
    readonly long[,] _counts;
    readonly long[] _missed;

    public ConfusionMatrix(int classCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount));
        ClassCount = classCount;
        _counts = new long[classCount, classCount];
        _missed = new long[classCount];
    }

    public int ClassCount { get; }

    /// <summary>Frames with true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>Frames counted.</summary>
    public long Total { get; private set; }

    /// <summary>Frames on the diagonal.</summary>
    public long Correct { get; private set; }

    /// <summary>Adds one frame; a truth of -1 is skipped, a prediction of -1 is a miss (<see cref="AddMiss"/>).
    /// Anything else out of range is a caller bug.</summary>
    public void Add(int truth, int predicted)
    {
        if (truth == -1)
            return;
        if (predicted == -1)
        {
            AddMiss(truth);
            return;
        }
        if ((uint)truth >= ClassCount || (uint)predicted >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(predicted), $"labels must be in 0..{ClassCount - 1} (truth may be -1); got truth {truth}, prediction {predicted}");
        _counts[truth, predicted]++;
        Total++;
        if (truth == predicted) Correct++;
    }

    /// <summary>A sample of true class <paramref name="truth"/> that got no prediction; a truth of -1 is skipped.</summary>
    public void AddMiss(int truth)
    {
        if (truth == -1)
            return;
        if ((uint)truth >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(truth), $"labels must be in 0..{ClassCount - 1} (truth may be -1); got {truth}");
        _missed[truth]++;
        Total++;
    }

    /// <summary>Samples of true class <paramref name="c"/> with no prediction.</summary>
    public long Missed(int c) => _missed[c];

    /// <summary>Samples with no prediction.</summary>
    public long MissedTotal => _missed.Sum();

    /// <summary>Samples of true class <paramref name="c"/>, predicted or missed.</summary>
    public long TrueCount(int c)
    {
        long n = _missed[c];
        for (int p = 0; p < ClassCount; p++) n += _counts[c, p];
        return n;
    }

    public long PredictedCount(int c)
    {
        long n = 0;
        for (int t = 0; t < ClassCount; t++) n += _counts[t, c];
        return n;
    }

    /// <summary>Rows = true class, columns = predicted class.</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(t => Enumerable.Range(0, ClassCount).Select(p => _counts[t, p]).ToArray()).ToArray();

    public static ConfusionMatrix From(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classCount)
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions", nameof(predicted));
        var m = new ConfusionMatrix(classCount);
        for (int i = 0; i < truth.Count; i++)
            m.Add(truth[i], predicted[i]);
        return m;
    }

    /// <summary>Adds another matrix of the same size (e.g. per-video matrices into a total).</summary>
    public void Add(ConfusionMatrix other)
    {
        if (other.ClassCount != ClassCount)
            throw new ArgumentException("class counts differ", nameof(other));
        for (int t = 0; t < ClassCount; t++)
        {
            for (int p = 0; p < ClassCount; p++)
                _counts[t, p] += other._counts[t, p];
            _missed[t] += other._missed[t];
        }
        Total += other.Total;
        Correct += other.Correct;
    }
}
