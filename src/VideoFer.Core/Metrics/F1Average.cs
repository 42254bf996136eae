namespace VideoFer.Metrics;

/// <summary>Which classes the macro F1 averages over.</summary>
public enum F1Average
{
    /// <summary>Classes present in the truth or the predictions, as scikit-learn's
    /// <c>f1_score(average="macro")</c> does without <c>labels=</c> (the ABAW 2020/2021 scripts).</summary>
    PresentLabels,
    /// <summary>Every class of the class set (7 or 8); an absent class contributes F1 = 0.</summary>
    AllClasses,
}
