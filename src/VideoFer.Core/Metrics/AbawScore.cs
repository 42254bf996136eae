namespace VideoFer.Metrics;

/// <summary>The ABAW 2020/2021 expression score (paper §IV-D): S = 0.67 F1 + 0.33 Acc.
/// From 2022 the organisers rank by the 8-class macro F1 alone.</summary>
public static class AbawScore
{
    public const double F1Weight = 0.67;
    public const double AccuracyWeight = 0.33;

    public static double Combine(double accuracy, double macroF1) => F1Weight * macroF1 + AccuracyWeight * accuracy;
}
