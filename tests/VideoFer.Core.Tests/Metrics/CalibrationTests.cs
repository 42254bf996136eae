using System.Text.Json;
using VideoFer.Metrics;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Metrics;

/// <summary>Calibration error, reliability bins, likelihood and the fitted temperature against numpy
/// (reference/calibration.py) on overconfident probabilities drawn here.</summary>
public class CalibrationTests
{
    [Fact]
    public void Matches_numpy_and_the_fitted_temperature_is_the_likelihoods_minimum()
    {
        var r = new Random(11);
        var samples = new List<(IReadOnlyList<double> P, int Truth)>();
        for (int i = 0; i < 600; i++)
        {
            int truth = r.Next(7);
            // Sharp logits that point at the truth only 60% of the time: an overconfident model.
            int peak = r.NextDouble() < 0.6 ? truth : r.Next(7);
            var logits = Enumerable.Range(0, 7).Select(k => (k == peak ? 4.0 : 0) + r.NextDouble() * 1.5).ToArray();
            double sum = logits.Sum(Math.Exp);
            samples.Add(([.. logits.Select(l => Math.Exp(l) / sum)], truth));
        }
        double fitted = Calibration.FitTemperature(samples);
        double[] temperatures = [0.5, 1, 2, fitted];
        var input = Path.Combine(Path.GetTempPath(), $"videofer-calibration-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(new { probabilities = samples.Select(s => s.P), truth = samples.Select(s => s.Truth), bins = 10, temperatures }));
        JsonElement numpy;
        try { numpy = JsonDocument.Parse(Python.Run(Path.Combine(Repo.Root, "reference", "calibration.py"), input)).RootElement; }
        finally { File.Delete(input); }

        var bins = Calibration.Reliability(samples);
        Assert.Equal(numpy.GetProperty("ece").GetDouble(), Calibration.ExpectedCalibrationError(bins), 1e-12);
        var expectedBins = numpy.GetProperty("bins").EnumerateArray().ToList();
        for (int b = 0; b < 10; b++)
        {
            Assert.Equal(expectedBins[b].GetProperty("count").GetInt32(), bins[b].Count);
            if (bins[b].Count == 0) continue;
            Assert.Equal(expectedBins[b].GetProperty("confidence").GetDouble(), bins[b].MeanConfidence, 1e-12);
            Assert.Equal(expectedBins[b].GetProperty("accuracy").GetDouble(), bins[b].Accuracy, 1e-12);
        }
        var nll = numpy.GetProperty("nll").EnumerateArray().Select(v => v.GetDouble()).ToList();
        for (int i = 0; i < temperatures.Length; i++)
            Assert.Equal(nll[i], Calibration.NegativeLogLikelihood(samples, temperatures[i]), 1e-9);
        // The fit finds the minimum numpy's fine grid finds, and calibrating lowers the calibration error.
        Assert.Equal(numpy.GetProperty("best_grid_temperature").GetDouble(), fitted, 0.01 * fitted);
        Assert.True(Calibration.NegativeLogLikelihood(samples, fitted) <= numpy.GetProperty("best_grid_nll").GetDouble() + 1e-9);
        Assert.True(fitted > 1.2, $"an overconfident model needs a temperature above 1, got {fitted}");
        var after = Calibration.Reliability([.. samples.Select(s => ((IReadOnlyList<double>)Calibration.WithTemperature(s.P, fitted), s.Truth))]);
        Assert.True(Calibration.ExpectedCalibrationError(after) < Calibration.ExpectedCalibrationError(bins) / 2);
    }
}
