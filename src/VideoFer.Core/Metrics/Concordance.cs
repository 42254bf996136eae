namespace VideoFer.Metrics;

/// <summary>Lin's concordance correlation coefficient, as the ABAW organisers compute it for valence and
/// arousal: CCC = 2 cov(x, y) / (var(x) + var(y) + (mean(x) - mean(y))^2), with population moments
/// (numpy's <c>np.var</c>, <c>np.mean</c>, divisor N). It is symmetric in its two arguments.
/// <para>Degenerate input never throws. A series whose values are all identical is treated as having
/// variance and covariance exactly 0 (numpy reaches the same 0 only when the mean happens to be exact,
/// e.g. 0.5; with 0.1 its rounding leaves ~1e-34 and the quotient is noise). So:
/// one series constant and the other not gives 0; both constant and different gives 0; both constant
/// and equal (including a single frame predicted exactly) gives 0/0 = <see cref="double.NaN"/>, as numpy
/// does (with a RuntimeWarning). A NaN anywhere in the input gives NaN. Callers that average or rank
/// must handle NaN (see <see cref="ValenceArousalMetrics"/>).</para></summary>
public static class Concordance
{
    /// <summary>The CCC of two equally long, non-empty series. Throws <see cref="ArgumentException"/> on a
    /// length mismatch or empty input (caller bugs; the scorers check their input first).</summary>
    public static double Ccc(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        Check(truth.Length, predicted.Length);
        int n = truth.Length;
        double meanT = 0, meanP = 0;
        for (int i = 0; i < n; i++) { meanT += truth[i]; meanP += predicted[i]; }
        meanT /= n;
        meanP /= n;
        // Constant series: exact zero moments (see the class remarks); their mean is their value.
        bool constT = IsConstant(truth), constP = IsConstant(predicted);
        if (constT) meanT = truth[0];
        if (constP) meanP = predicted[0];
        double varT = 0, varP = 0, cov = 0;
        for (int i = 0; i < n; i++)
        {
            double dt = constT ? 0 : truth[i] - meanT;
            double dp = constP ? 0 : predicted[i] - meanP;
            varT += dt * dt;
            varP += dp * dp;
            cov += dt * dp;
        }
        varT /= n;
        varP /= n;
        cov /= n;
        double meanDifference = meanT - meanP;
        return 2 * cov / (varT + varP + meanDifference * meanDifference);
    }

    /// <summary>The CCC of single-precision series, computed in double precision.</summary>
    public static double Ccc(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted)
    {
        Check(truth.Length, predicted.Length);
        var t = new double[truth.Length];
        var p = new double[predicted.Length];
        for (int i = 0; i < t.Length; i++) { t[i] = truth[i]; p[i] = predicted[i]; }
        return Ccc(t, p);
    }

    static void Check(int truth, int predicted)
    {
        if (truth != predicted)
            throw new ArgumentException($"the CCC needs series of equal length, got {truth} truth and {predicted} predicted values");
        if (truth == 0)
            throw new ArgumentException("the CCC of an empty series is undefined");
    }

    // NaN is never equal to itself, so a series holding NaN is not constant and the NaN propagates.
    static bool IsConstant(ReadOnlySpan<double> values)
    {
        for (int i = 1; i < values.Length; i++)
            if (values[i] != values[0]) return false;
        return !double.IsNaN(values[0]);
    }
}
