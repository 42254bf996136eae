namespace VideoFer.Metrics;

/// <summary>Frame-level expression metrics. Per-class arrays have one entry per class of the class set;
/// a class with no true and no predicted frame has precision, recall and F1 0 (scikit-learn's
/// zero_division default). With no frame at all, accuracy and F1 are 0.</summary>
/// <param name="Frames">Frames scored (truth -1 excluded).</param>
/// <param name="AveragedClasses">The classes <paramref name="MacroF1"/> averages over.</param>
public sealed record ClassificationMetrics(
    int ClassCount,
    long Frames,
    double Accuracy,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double> F1,
    double MacroF1,
    IReadOnlyList<int> AveragedClasses,
    ConfusionMatrix Confusion)
{
    /// <summary>S = 0.67 F1 + 0.33 Acc.</summary>
    public double Score => AbawScore.Combine(Accuracy, MacroF1);
}
