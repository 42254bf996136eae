namespace VideoFer.Metrics;

/// <summary>Counts of (true class, predicted class) pairs. Truth -1 (ignored frames) is not counted.</summary>
public sealed class ConfusionMatrix
{
    readonly long[,] _counts;

    public ConfusionMatrix(int classCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount));
        ClassCount = classCount;
        _counts = new long[classCount, classCount];
    }

    public int ClassCount { get; }

    /// <summary>Frames with true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>Frames counted.</summary>
    public long Total { get; private set; }

    /// <summary>Frames on the diagonal.</summary>
    public long Correct { get; private set; }

    /// <summary>Adds one frame; a truth of -1 is skipped. Anything else out of range is a caller bug.</summary>
    public void Add(int truth, int predicted)
    {
        if (truth == -1)
            return;
        if ((uint)truth >= ClassCount || (uint)predicted >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(predicted), $"labels must be in 0..{ClassCount - 1} (truth may be -1); got truth {truth}, prediction {predicted}");
        _counts[truth, predicted]++;
        Total++;
        if (truth == predicted) Correct++;
    }

    public long TrueCount(int c)
    {
        long n = 0;
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
            for (int p = 0; p < ClassCount; p++)
                _counts[t, p] += other._counts[t, p];
        Total += other.Total;
        Correct += other.Correct;
    }
}
