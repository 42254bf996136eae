namespace VideoFer.Inference;

/// <summary>Smooths each track's probabilities over time: the average over the track's own frames
/// within ±<c>radius</c> frames (a centred moving average; radius 0 leaves them as they are).
/// Frames of other tracks and frames where the track has no face do not enter the average, and a gap
/// longer than the radius is never bridged. Teams on Aff-Wild2 report higher F1 with such smoothing,
/// since expressions change over seconds, not frames.</summary>
public static class TemporalSmoothing
{
    public const int DefaultRadius = 3;

    /// <summary>The records in the same order, each with its smoothed probabilities (its
    /// <see cref="PredictionRecord.Raw"/> kept); the input records are not changed.</summary>
    public static IReadOnlyList<PredictionRecord> Apply(IReadOnlyList<PredictionRecord> records, int radius)
    {
        CheckRadius(radius);
        var smoothed = new PredictionRecord[records.Count];
        foreach (var track in records.Select((r, i) => (Record: r, Index: i)).GroupBy(x => x.Record.Track))
        {
            var list = track.OrderBy(x => x.Record.Frame).ToList();
            int classes = list[0].Record.Raw.Count;
            int lo = 0, hi = 0;
            var sum = new double[classes];
            for (int i = 0; i < list.Count; i++)
            {
                int frame = list[i].Record.Frame;
                while (hi < list.Count && list[hi].Record.Frame <= frame + radius)
                {
                    for (int k = 0; k < classes; k++) sum[k] += list[hi].Record.Raw[k];
                    hi++;
                }
                while (list[lo].Record.Frame < frame - radius)
                {
                    for (int k = 0; k < classes; k++) sum[k] -= list[lo].Record.Raw[k];
                    lo++;
                }
                int n = hi - lo;
                smoothed[list[i].Index] = list[i].Record with { Probabilities = sum.Select(s => (float)(s / n)).ToArray() };
            }
        }
        return smoothed;
    }

    /// <summary>Refuses a negative radius (predict checks it before any work).</summary>
    public static int CheckRadius(int radius) => radius >= 0 ? radius
        : throw new VideoFerException($"--smooth {radius}: expected 0 (off) or a positive number of frames");
}
