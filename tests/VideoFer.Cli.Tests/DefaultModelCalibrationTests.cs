using System.Globalization;
using VideoFer.Inference.Predictors;

namespace VideoFer.Cli.Tests;

/// <summary>The default model's probabilities are calibrated: predict's default equals faceapi+flip at temperature 1
/// tempered by <see cref="FaceModelSettings.DefaultTemperature"/> (p ∝ p₁^(1/T)), labels unchanged.</summary>
public class DefaultModelCalibrationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-calibration-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    (double[] P, string Label)[] Predict(params string[] options)
    {
        string outDir = Path.Combine(dir, $"out{Directory.GetDirectories(dir).Length}");
        var r = CliProcess.Run(["predict", TestMedia.ClmtrackrPicture("audrey_crop.jpg"), TestMedia.Messi, "--out", outDir, .. options]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return [.. Directory.GetFiles(outDir, "predictions.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f =>
            {
                var lines = File.ReadAllLines(f);
                var header = lines[0].Split(',');
                int first = Array.IndexOf(header, "Neutral"), label = Array.IndexOf(header, "label");
                Assert.True(first > 0 && label > first, f + ": " + lines[0]);
                return lines.Skip(1).Select(line =>
                {
                    var cells = line.Split(',');
                    return (cells[first..(first + 7)].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray(), cells[label]);
                });
            })];
    }

    [Fact]
    public void Default_probabilities_are_faceapi_flip_tempered_by_the_fitted_temperature()
    {
        var plain = Predict("--model", "faceapi+flip", "--temperature", "1");
        var calibrated = Predict();
        Assert.Equal(plain.Length, calibrated.Length);
        Assert.NotEmpty(plain);
        double t = FaceModelSettings.DefaultTemperature;
        Assert.True(t > 1, "an overconfident model's temperature is above 1");
        for (int i = 0; i < plain.Length; i++)
        {
            var tempered = plain[i].P.Select(p => Math.Pow(p, 1 / t)).ToArray();
            double sum = tempered.Sum();
            for (int c = 0; c < 7; c++)
                Assert.Equal(tempered[c] / sum, calibrated[i].P[c], 2e-3);
            Assert.Equal(plain[i].Label, calibrated[i].Label);
            Assert.True(calibrated[i].P.Max() < plain[i].P.Max(), "tempering above 1 lowers the top probability");
        }
    }
}
