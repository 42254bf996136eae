using VideoFer.Datasets.AffWild2;

namespace VideoFer.Metrics;

/// <summary>Action unit metrics as the ABAW organisers compute them: per AU the binary F1 of the positive
/// class 1 (scikit-learn's <c>f1_score(y_true[:, j], y_pred[:, j])</c>), their unweighted mean, and the
/// accuracy over all annotated AU decisions (the flattened arrays' <c>accuracy_score</c>).
/// <para>An AU with no true and no predicted positive (TP + FP + FN = 0) has F1 = 0, scikit-learn's
/// <c>zero_division</c> default, and still counts in the mean (the organisers divide by 8 or 12).
/// With no annotated decision at all, accuracy is 0.</para></summary>
/// <param name="Frames">Frames with at least one annotated AU.</param>
/// <param name="F1">One per AU, in <paramref name="Names"/> order.</param>
/// <param name="Accuracy">(TP + TN) / decisions over every AU.</param>
public sealed record ActionUnitMetrics(
    IReadOnlyList<string> Names,
    long Frames,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double> F1,
    double MeanF1,
    double Accuracy,
    ActionUnitCounts Counts)
{
    /// <summary>The AU challenge score of an edition (see <see cref="AbawTaskScores.ActionUnits"/>).</summary>
    public double Score(AffWild2Edition edition) => AbawTaskScores.ActionUnits(edition, MeanF1, Accuracy);

    public static ActionUnitMetrics From(ActionUnitCounts counts)
    {
        int n = counts.Count;
        var precision = new double[n];
        var recall = new double[n];
        var f1 = new double[n];
        long correct = 0, decisions = 0;
        for (int j = 0; j < n; j++)
        {
            long tp = counts.TruePositives(j), fp = counts.FalsePositives(j), fn = counts.FalseNegatives(j);
            precision[j] = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            recall[j] = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            // 2TP / (2TP + FP + FN) is 2PR / (P + R) without the intermediate rounding.
            f1[j] = tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            correct += tp + counts.TrueNegatives(j);
            decisions += counts.Decisions(j);
        }
        return new ActionUnitMetrics(counts.Names, counts.Frames, precision, recall, f1, f1.Average(),
            decisions == 0 ? 0 : (double)correct / decisions, counts);
    }

    /// <summary>Metrics of frame-major truth (1/0/-1) and predictions (0/1), <c>names.Count</c> per frame.</summary>
    public static ActionUnitMetrics Compute(IReadOnlyList<string> names, ReadOnlySpan<sbyte> truth, ReadOnlySpan<sbyte> predicted)
    {
        var counts = new ActionUnitCounts(names);
        counts.AddFrames(truth, predicted);
        return From(counts);
    }
}
