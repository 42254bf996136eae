namespace VideoFer.Metrics;

/// <summary>The multi-task learning challenge score of ABAW3/ABAW4 (2022, s-Aff-Wild2):
/// P = (CCC_v + CCC_a) / 2 + (sum of the 8 expression F1) / 8 + (sum of the 12 AU F1) / 12,
/// each task on its own annotated frames. The expression term averages over all 8 classes
/// (an absent class counts 0), whatever averaging the <see cref="ClassificationMetrics"/> used for its
/// own MacroF1. NaN in a CCC makes the total NaN.</summary>
public sealed record MultiTaskScore(double ValenceArousal, double Expression, double ActionUnits)
{
    public double Total => ValenceArousal + Expression + ActionUnits;

    public const int ExpressionClasses = 8;

    public static MultiTaskScore Combine(ValenceArousalMetrics va, ClassificationMetrics expression, ActionUnitMetrics actionUnits)
    {
        if (expression.ClassCount != ExpressionClasses)
            throw new ArgumentException($"the multi-task score uses the 8-class expression set, not {expression.ClassCount} classes", nameof(expression));
        return new MultiTaskScore(va.MeanCcc, expression.F1.Average(), actionUnits.MeanF1);
    }
}
