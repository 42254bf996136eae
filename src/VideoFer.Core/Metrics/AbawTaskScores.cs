using VideoFer.Datasets.AffWild2;

namespace VideoFer.Metrics;

/// <summary>The ranking score of each ABAW challenge, per edition (docs/ABAW_METRICS.md says where each
/// formula was seen). Expression scores stay in <see cref="AbawScore"/>.</summary>
public static class AbawTaskScores
{
    /// <summary>VA, every edition: P = (CCC_v + CCC_a) / 2.</summary>
    public static double ValenceArousal(double valenceCcc, double arousalCcc) => (valenceCcc + arousalCcc) / 2;

    /// <summary>AU: 2020 and 2021 P = 0.5 mean F1 + 0.5 accuracy over all AU decisions; from 2022
    /// (ABAW3 onwards) P = mean F1 alone.</summary>
    public static double ActionUnits(AffWild2Edition edition, double meanF1, double accuracy) =>
        UsesAccuracy(edition) ? 0.5 * meanF1 + 0.5 * accuracy : meanF1;

    /// <summary>Whether an edition's AU score includes the accuracy term.</summary>
    public static bool UsesAccuracy(AffWild2Edition edition) => edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021;
}
