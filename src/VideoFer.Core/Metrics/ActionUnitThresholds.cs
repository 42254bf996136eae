namespace VideoFer.Metrics;

/// <summary>Turns AU probabilities into the 0/1 decisions the AU files hold: an AU is active when its
/// probability is strictly above its threshold (0.5 by default), so exactly 0.5 is inactive, as
/// <c>np.round</c> and <c>p &gt; 0.5</c> in public ABAW code both decide.</summary>
public static class ActionUnitThresholds
{
    public const float Default = 0.5f;

    /// <summary>Frame-major probabilities (<paramref name="auCount"/> per frame) to decisions.
    /// <paramref name="thresholds"/>, if given, holds one threshold per AU. A NaN probability is a caller bug.</summary>
    public static sbyte[] Apply(ReadOnlySpan<float> probabilities, int auCount, IReadOnlyList<float>? thresholds = null)
    {
        if (auCount < 1 || probabilities.Length % auCount != 0)
            throw new ArgumentException($"probabilities must hold {auCount} values per frame, got {probabilities.Length}");
        if (thresholds != null && thresholds.Count != auCount)
            throw new ArgumentException($"one threshold per AU: expected {auCount}, got {thresholds.Count}", nameof(thresholds));
        if (thresholds != null)
            foreach (var t in thresholds)
                if (!(t is >= 0f and <= 1f))
                    throw new ArgumentOutOfRangeException(nameof(thresholds), $"threshold {t} is not in [0, 1]");
        var decisions = new sbyte[probabilities.Length];
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = probabilities[i];
            if (float.IsNaN(p))
                throw new ArgumentException($"probability of frame {i / auCount + 1}, AU {i % auCount + 1} is NaN", nameof(probabilities));
            decisions[i] = p > (thresholds?[i % auCount] ?? Default) ? (sbyte)1 : (sbyte)0;
        }
        return decisions;
    }
}
