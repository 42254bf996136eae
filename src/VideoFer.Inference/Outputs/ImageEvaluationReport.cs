using System.Globalization;
using System.Text;
using OpenCvSharp;
using VideoFer.Formats;
using VideoFer.Inference.Evaluation;
using VideoFer.Inference.Predictors;
using VideoFer.IO;
using VideoFer.Metrics;
using VideoFer.Reports;

namespace VideoFer.Inference.Outputs;

/// <summary>The outputs of <c>videofer eval --images</c>: <c>metrics.json</c> (every number), <c>predictions.csv</c> (one
/// row per picture) and <c>report.html</c> (the scores, per-class table, confusion matrix with the pictures without a
/// face, reliability diagram and thumbnails of each kind of error, in <c>thumbnails/</c>).</summary>
public static class ImageEvaluationReport
{
    /// <summary>Thumbnails shown per kind of error.</summary>
    public const int ThumbnailsPerError = 6;

    public const string LabelNoise = "Crowd-sourced labels of real photos are noisy (two labellers of such photos agree on about half of them): " +
                                     "compare models on the same pictures rather than reading an absolute accuracy as the truth.";

    static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The numbers of <paramref name="e"/> as one JSON object (also what <c>--json</c> prints).</summary>
    public static Dictionary<string, object?> Summary(ImageEvaluation e, double? fittedTemperature = null)
    {
        var m = e.Metrics;
        var names = e.ClassNames;
        var bins = e.Reliability;
        var samples = e.CalibrationSamples;
        return new Dictionary<string, object?>
        {
            ["source"] = e.Set.Source,
            ["model"] = e.Model,
            ["images"] = e.Predictions.Count,
            ["accuracy"] = m.Accuracy,
            ["f1"] = m.MacroF1,
            ["s"] = m.Score,
            ["detection_rate"] = e.DetectionRate,
            ["no_face"] = e.Predictions.Count(p => p.Face is null),
            ["per_class"] = names.Select((n, k) => new Dictionary<string, object?>
            {
                ["class"] = n, ["images"] = m.Confusion.TrueCount(k), ["f1"] = m.F1[k], ["recall"] = m.Recall[k], ["precision"] = m.Precision[k],
                ["no_face"] = m.Confusion.Missed(k),
            }).ToList(),
            ["confusion"] = m.Confusion.ToRows(),
            ["confusion_no_face"] = names.Select((_, k) => m.Confusion.Missed(k)).ToList(),
            ["classes"] = names,
            ["unscored"] = e.Set.Unscored.Select(u => new { label = u.Label, images = u.Count }).ToList(),
            ["skipped"] = e.Set.Skipped.Select(s => new { file = s.Path, reason = s.Reason }).ToList(),
            ["ece"] = Calibration.ExpectedCalibrationError(bins),
            ["nll"] = Calibration.NegativeLogLikelihood(samples, 1),
            ["reliability"] = bins.Select(b => new { low = b.Low, high = b.High, count = b.Count, confidence = b.MeanConfidence, accuracy = b.Accuracy }).ToList(),
            ["fitted_temperature"] = fittedTemperature,
            ["ece_at_fitted_temperature"] = fittedTemperature is double t
                ? Calibration.ExpectedCalibrationError(Calibration.Reliability([.. samples.Select(s => ((IReadOnlyList<double>)Calibration.WithTemperature(s.P, t), s.Truth))]))
                : null,
            ["nll_at_fitted_temperature"] = fittedTemperature is double t2 ? Calibration.NegativeLogLikelihood(samples, t2) : null,
            ["seconds"] = e.Seconds,
            ["images_per_second"] = e.ImagesPerSecond,
        };
    }

    /// <summary>Writes the outputs into a held folder as one set (staged, then swapped in, as predict does).</summary>
    public static string Write(OutputFolder folder, ImageEvaluation e, double? fittedTemperature = null)
    {
        string staging = folder.Stage();
        try
        {
            WriteInto(staging, e, fittedTemperature);
            folder.Commit(staging, e.Set.Source);
        }
        catch
        {
            PathGuard.Delete(folder.Root, staging);
            throw;
        }
        return Path.Combine(folder.Root, "report.html");
    }

    static void WriteInto(string dir, ImageEvaluation e, double? fittedTemperature)
    {
        var summary = Summary(e, fittedTemperature);
        AtomicFile.WriteText(Path.Combine(dir, "metrics.json"), w => w.Write(JsonOutput.Serialize(summary, indented: true)));
        WriteCsv(Path.Combine(dir, "predictions.csv"), e);
        var errors = Thumbnails(dir, e);
        HtmlReport.Write(Path.Combine(dir, "report.html"), "images.liquid", Model(e, summary, errors, fittedTemperature), summary);
    }

    static void WriteCsv(string path, ImageEvaluation e)
    {
        var names = e.ClassNames;
        AtomicFile.WriteText(path, w =>
        {
            w.Write("image,label,class,faces_found,predicted");
            foreach (var n in names) w.Write("," + n);
            w.Write("\n");
            foreach (var p in e.Predictions)
            {
                w.Write($"{Csv(p.Image.Path)},{Csv(p.Image.Label)},{names[p.Image.Class]},{p.FacesFound},{(p.Predicted >= 0 ? names[p.Predicted] : "")}");
                foreach (var k in Enumerable.Range(0, names.Count))
                    w.Write("," + (p.Probabilities is { } probabilities ? probabilities[k].ToString("0.#####", CultureInfo.InvariantCulture) : ""));
                w.Write("\n");
            }
        });
    }

    static string Csv(string s) => s.Contains(',') || s.Contains('"') || s.Contains('\n') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>The kinds of error, most frequent first, each with up to <see cref="ThumbnailsPerError"/> thumbnails
    /// (the face square as the model saw it, or the whole picture when no face was found).</summary>
    static List<Dictionary<string, object?>> Thumbnails(string dir, ImageEvaluation e)
    {
        var names = e.ClassNames;
        var groups = e.Predictions.Where(p => !p.Correct)
            .GroupBy(p => (p.Image.Class, p.Predicted))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Class).ThenBy(g => g.Key.Predicted).ToList();
        var result = new List<Dictionary<string, object?>>();
        string thumbs = Path.Combine(dir, "thumbnails");
        foreach (var g in groups)
        {
            var items = new List<Dictionary<string, object?>>();
            foreach (var (p, i) in g.Take(ThumbnailsPerError).Select((p, i) => (p, i)))
            {
                string name = $"{SafeName.Of(names[g.Key.Class])}-as-{(g.Key.Predicted >= 0 ? SafeName.Of(names[g.Key.Predicted]) : "no-face")}-{i + 1}.jpg";
                using var image = Cv2.ImRead(p.Image.Path, ImreadModes.Color);
                if (image.Empty()) continue;
                using var square = p.Face is { } face ? FaceSquare.Cut(image, face, 96) : Fit(image, 96);
                Directory.CreateDirectory(thumbs);
                AtomicFile.Write(Path.Combine(thumbs, name), temp => Cv2.ImWrite(temp, square, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85)));
                items.Add(new Dictionary<string, object?> { ["src"] = "thumbnails/" + Uri.EscapeDataString(name), ["href"] = new Uri(p.Image.Path).AbsoluteUri, ["name"] = Path.GetFileName(p.Image.Path) });
            }
            result.Add(new Dictionary<string, object?>
            {
                ["truth"] = names[g.Key.Class], ["predicted"] = g.Key.Predicted >= 0 ? names[g.Key.Predicted] : "no face found",
                ["count"] = g.Count(), ["thumbs"] = items,
            });
        }
        return result;
    }

    static Mat Fit(Mat image, int side)
    {
        var result = new Mat();
        double scale = (double)side / Math.Max(image.Width, image.Height);
        Cv2.Resize(image, result, new Size(Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale))), 0, 0, InterpolationFlags.Area);
        return result;
    }

    static Dictionary<string, object?> Model(ImageEvaluation e, Dictionary<string, object?> summary, List<Dictionary<string, object?>> errors, double? fittedTemperature)
    {
        var m = e.Metrics;
        var names = e.ClassNames;
        return new Dictionary<string, object?>
        {
            ["title"] = $"evaluation: {Path.GetFileName(e.Set.Source)}",
            ["source"] = e.Set.Source,
            ["images"] = e.Predictions.Count.ToString("N0", CultureInfo.InvariantCulture),
            ["model"] = e.Model,
            ["s"] = F(m.Score), ["accuracy"] = F(m.Accuracy), ["f1"] = F(m.MacroF1),
            ["detection_rate"] = (100 * e.DetectionRate).ToString("0.0", CultureInfo.InvariantCulture) + "%",
            ["missed"] = e.Predictions.Count(p => p.Face is null),
            ["ece"] = F((double)summary["ece"]!),
            ["calibrated"] = e.CalibrationSamples.Count,
            ["temperature"] = fittedTemperature is double t
                ? $"a temperature of {t.ToString("0.###", CultureInfo.InvariantCulture)} fitted on these pictures gives {F((double)summary["ece_at_fitted_temperature"]!)}"
                : null,
            ["unscored"] = e.Set.Unscored.Select(u => new Dictionary<string, object?> { ["label"] = u.Label, ["count"] = u.Count }).ToList(),
            ["skipped"] = e.Set.Skipped.Count,
            ["speed"] = $"{e.ImagesPerSecond:0.0} pictures/s ({e.Seconds:0.0} s)",
            ["noise"] = LabelNoise,
            ["classes"] = names.ToList(),
            ["per_class"] = names.Select((n, k) => new Dictionary<string, object?>
            {
                ["name"] = n, ["count"] = m.Confusion.TrueCount(k), ["f1"] = F(m.F1[k]), ["recall"] = F(m.Recall[k]), ["precision"] = F(m.Precision[k]),
                ["missed"] = m.Confusion.Missed(k),
            }).ToList(),
            ["matrix"] = names.Select((t, i) =>
            {
                long total = m.Confusion.TrueCount(i);
                string Share(long n) => total == 0 ? "0" : (100.0 * n / total).ToString("0.#", CultureInfo.InvariantCulture);
                var cells = names.Select((p, j) => new Dictionary<string, object?> { ["count"] = m.Confusion[i, j], ["predicted"] = p, ["share"] = Share(m.Confusion[i, j]) }).ToList();
                cells.Add(new Dictionary<string, object?> { ["count"] = m.Confusion.Missed(i), ["predicted"] = "no face", ["share"] = Share(m.Confusion.Missed(i)) });
                return new Dictionary<string, object?> { ["name"] = t, ["cells"] = cells };
            }).ToList(),
            ["reliability_svg"] = ReliabilitySvg(e.Reliability),
            ["errors"] = errors,
        };
    }

    /// <summary>The reliability diagram as inline SVG: per confidence bin, a bar of the accuracy, the diagonal of
    /// perfect calibration, bins drawn only where they hold pictures.</summary>
    public static string ReliabilitySvg(IReadOnlyList<ReliabilityBin> bins)
    {
        const int W = 320, H = 320, L = 40, B = 30, T = 10, R = 10;
        double pw = W - L - R, ph = H - T - B;
        string X(double v) => (L + v * pw).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v) => (T + (1 - v) * ph).ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder($"<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"reliability diagram\">");
        svg.Append($"<line class=\"axis\" x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(0)}\"/><line class=\"axis\" x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(0)}\" y2=\"{Y(1)}\"/>");
        foreach (var b in bins.Where(b => b.Count > 0))
        {
            double w = (b.High - b.Low) * pw;
            svg.Append($"<rect class=\"bar\" x=\"{X(b.Low)}\" y=\"{Y(b.Accuracy)}\" width=\"{(w - 2).ToString("0.#", CultureInfo.InvariantCulture)}\" height=\"{(b.Accuracy * ph).ToString("0.#", CultureInfo.InvariantCulture)}\">" +
                       $"<title>confidence {b.Low:0.0}-{b.High:0.0}: {b.Count} pictures, mean confidence {b.MeanConfidence:0.000}, right {b.Accuracy:0.000}</title></rect>");
        }
        svg.Append($"<line class=\"ideal\" x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double v = i / 4.0;
            svg.Append($"<text x=\"{X(v)}\" y=\"{H - 12}\" text-anchor=\"middle\">{v:0.##}</text><text x=\"{L - 4}\" y=\"{Y(v)}\" text-anchor=\"end\" dy=\"4\">{v:0.##}</text>");
        }
        svg.Append($"<text x=\"{X(0.5)}\" y=\"{H}\" text-anchor=\"middle\">confidence</text></svg>");
        return svg.ToString();
    }
}
