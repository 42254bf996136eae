using VideoFer.Metrics;
using VideoFer.Models;
using VideoFer.Submissions;

namespace VideoFer.Training.Evaluation;

/// <summary>An evaluation's per-frame predictions as ABAW submission files, one folder per task the model has:
/// the expression's <c>&lt;stem&gt;.txt</c> files in the folder itself (as before multi-task models), valence-arousal
/// in <c>VA/</c>, action units (probability above 0.5) in <c>AU/</c>.</summary>
public static class TaskSubmissions
{
    /// <summary>Writes the files and returns the folders written, expression first.</summary>
    public static IReadOnlyList<string> Write(string folder, EvaluationResult result, ExpressionNetConfig config)
    {
        var written = new List<string>();
        var layout = config.Outputs;
        if (layout.HasExpression)
        {
            PerVideoSubmission.WriteAll(folder, result.Tracks.Select(t => (t.Stem, (IReadOnlyList<int>)t.Labels)), config.Classes);
            written.Add(folder);
        }
        if (layout.HasValenceArousal)
        {
            string va = Path.Combine(folder, "VA");
            Directory.CreateDirectory(va);
            ValenceArousalSubmission.WriteAll(va, result.Tracks.Where(t => t.ValenceArousal != null).Select(t =>
                (t.Stem, (IReadOnlyList<float>)t.ValenceArousal!.Select(f => f[0]).ToArray(), (IReadOnlyList<float>)t.ValenceArousal!.Select(f => f[1]).ToArray())));
            written.Add(va);
        }
        if (layout.HasActionUnits)
        {
            string au = Path.Combine(folder, "AU");
            Directory.CreateDirectory(au);
            int n = config.ActionUnits.Count;
            ActionUnitSubmission.WriteAll(au, config.ActionUnits, result.Tracks.Where(t => t.ActionUnits != null).Select(t =>
                (t.Stem, (IReadOnlyList<sbyte>)ActionUnitThresholds.Apply(t.ActionUnits!.SelectMany(f => f).ToArray(), n))));
            written.Add(au);
        }
        return written;
    }
}
