namespace VideoFer.Metrics;

/// <summary>One bin of a reliability diagram: predictions whose confidence (the largest probability) fell in
/// [Low, High), their mean confidence and how often they were right.</summary>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanConfidence, double Accuracy);

/// <summary>How well probabilities say how often they are right (Guo et al., "On Calibration of Modern Neural
/// Networks", 2017): the expected calibration error over equal-width confidence bins, the reliability diagram, and
/// temperature scaling (one T dividing the log-probabilities, fitted by the negative log-likelihood).</summary>
public static class Calibration
{
    public const int DefaultBins = 10;

    /// <summary>The reliability bins of predictions given as (probabilities, true class); bins of equal width in
    /// [0, 1], the last one closed.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<(IReadOnlyList<double> P, int Truth)> samples, int bins = DefaultBins)
    {
        var count = new int[bins];
        var confidence = new double[bins];
        var right = new int[bins];
        foreach (var (p, truth) in samples)
        {
            int best = ArgMax(p);
            int b = Math.Min(bins - 1, (int)(p[best] * bins));
            count[b]++;
            confidence[b] += p[best];
            if (best == truth) right[b]++;
        }
        return [.. Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? double.NaN : confidence[b] / count[b], count[b] == 0 ? double.NaN : (double)right[b] / count[b]))];
    }

    /// <summary>Expected calibration error: the bins' |accuracy - confidence| weighted by their share of samples.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? double.NaN : bins.Where(b => b.Count > 0).Sum(b => b.Count * Math.Abs(b.Accuracy - b.MeanConfidence)) / total;
    }

    /// <summary>softmax(log p / T).</summary>
    public static double[] WithTemperature(IReadOnlyList<double> p, double temperature)
    {
        var logits = p.Select(v => Math.Log(Math.Max(v, 1e-12)) / temperature).ToArray();
        double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
        return [.. logits.Select(l => Math.Exp(l - max) / sum)];
    }

    /// <summary>Mean negative log-likelihood of the true classes after <paramref name="temperature"/>.</summary>
    public static double NegativeLogLikelihood(IReadOnlyList<(IReadOnlyList<double> P, int Truth)> samples, double temperature) =>
        samples.Count == 0 ? double.NaN : samples.Average(s => -Math.Log(Math.Max(WithTemperature(s.P, temperature)[s.Truth], 1e-12)));

    /// <summary>The temperature in [0.05, 20] with the least negative log-likelihood (golden-section search on
    /// log T; the likelihood is unimodal in T for a fixed set of log-probabilities).</summary>
    public static double FitTemperature(IReadOnlyList<(IReadOnlyList<double> P, int Truth)> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to fit a temperature on", nameof(samples));
        double lo = Math.Log(0.05), hi = Math.Log(20), phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = NegativeLogLikelihood(samples, Math.Exp(a)), fb = NegativeLogLikelihood(samples, Math.Exp(b));
        for (int i = 0; i < 80; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = NegativeLogLikelihood(samples, Math.Exp(a)); }
            else { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = NegativeLogLikelihood(samples, Math.Exp(b)); }
        }
        return Math.Exp((lo + hi) / 2);
    }

    static int ArgMax(IReadOnlyList<double> p)
    {
        int best = 0;
        for (int k = 1; k < p.Count; k++) if (p[k] > p[best]) best = k;
        return best;
    }
}
