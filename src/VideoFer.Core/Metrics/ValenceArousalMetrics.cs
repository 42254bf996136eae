namespace VideoFer.Metrics;

/// <summary>Valence-arousal metrics of the ABAW VA challenge (all editions): the CCC of valence, of
/// arousal, and their mean P = (CCC_v + CCC_a) / 2, over the pooled annotated frames.</summary>
/// <param name="Frames">Frames scored (frames whose truth is unannotated are excluded).</param>
/// <param name="ValenceCcc">May be NaN in the degenerate cases <see cref="Concordance"/> lists.</param>
public sealed record ValenceArousalMetrics(long Frames, double ValenceCcc, double ArousalCcc)
{
    /// <summary>The challenge score, (CCC_v + CCC_a) / 2; NaN when either CCC is NaN.</summary>
    public double MeanCcc => (ValenceCcc + ArousalCcc) / 2;

    /// <summary>Metrics of predictions against truth. A frame whose true valence or arousal is not in
    /// [-1, 1] (NaN, the -5 of the annotation files) is excluded from both CCCs, as the organisers drop
    /// unannotated frames. Throws <see cref="ArgumentException"/> when the four series differ in length
    /// or no frame is annotated.</summary>
    public static ValenceArousalMetrics Compute(ReadOnlySpan<float> truthValence, ReadOnlySpan<float> truthArousal,
        ReadOnlySpan<float> predictedValence, ReadOnlySpan<float> predictedArousal)
    {
        int n = truthValence.Length;
        if (truthArousal.Length != n || predictedValence.Length != n || predictedArousal.Length != n)
            throw new ArgumentException($"valence-arousal series differ in length: truth {truthValence.Length}/{truthArousal.Length}, " +
                $"predicted {predictedValence.Length}/{predictedArousal.Length}");
        var tv = new List<double>(n);
        var ta = new List<double>(n);
        var pv = new List<double>(n);
        var pa = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            if (!IsAnnotated(truthValence[i], truthArousal[i])) continue;
            tv.Add(truthValence[i]);
            ta.Add(truthArousal[i]);
            pv.Add(predictedValence[i]);
            pa.Add(predictedArousal[i]);
        }
        if (tv.Count == 0)
            throw new ArgumentException("no annotated frame: every true valence-arousal pair is unannotated");
        return new ValenceArousalMetrics(tv.Count,
            Concordance.Ccc(tv.ToArray(), pv.ToArray()),
            Concordance.Ccc(ta.ToArray(), pa.ToArray()));
    }

    /// <summary>Both values present and in [-1, 1] (the same rule as <c>ValenceArousalLabels.IsAnnotated</c>).</summary>
    public static bool IsAnnotated(float valence, float arousal) => valence is >= -1f and <= 1f && arousal is >= -1f and <= 1f;
}
