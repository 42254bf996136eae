using System.Diagnostics;
using System.Text.Json;

namespace VideoFer.TestSupport;

/// <summary>scikit-learn's metrics (reference/sklearn_metrics.py, run by the system Python with apt's scikit-learn) of
/// one pair of label vectors: accuracy, macro F1 over the labels present and over all classes, per-class precision,
/// recall and F1, the confusion matrix. A prediction of -1 is outside the labels: wrong, a miss for its class.</summary>
public static class Sklearn
{
    public static JsonElement Score(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        var input = Path.Combine(Path.GetTempPath(), $"videofer-sklearn-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(input, JsonSerializer.Serialize(new { cases = new[] { new { y_true = truth, y_pred = predicted, classes } } }));
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(Repo.Root, "reference", "sklearn_metrics.py"));
            psi.ArgumentList.Add(input);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"sklearn_metrics.py failed: {error.Result}");
            return JsonDocument.Parse(output.Result).RootElement[0];
        }
        finally
        {
            File.Delete(input);
        }
    }
}
