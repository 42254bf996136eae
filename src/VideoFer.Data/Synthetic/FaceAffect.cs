using VideoFer.Data.Randomness;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Data.Synthetic;

/// <summary>Valence, arousal and action units read off a drawn face: from the change the expression (and
/// talking) made to a person's resting face, i.e. from what the renderer actually drew, so a network can
/// learn them from pixels. Intensity ramps therefore move valence and arousal continuously and switch an AU
/// on once its activation passes <see cref="Threshold"/>. See docs/SYNTHETIC.md.
/// <para>The weights put each class's full-intensity face near its usual place on the circumplex
/// (Happiness about (0.85, 0.4), Sadness (-0.7, -0.3), Anger (-0.6, 0.6), Surprise (0.2, 0.9),
/// Fear (-0.5, 0.6), Disgust (-0.7, 0.35), Neutral 0), and each AU on the drawn movement FACS names it for.</para></summary>
public static class FaceAffect
{
    /// <summary>Every AU derived, in this order in <see cref="Activations"/>. AU9 and AU20 are outside
    /// the 2021+ list, AU7, AU10, AU23, AU24 and AU26 outside the 2020 one; all are derived so that each
    /// edition's list is a selection.</summary>
    public static readonly IReadOnlyList<int> Units = [1, 2, 4, 6, 7, 9, 10, 12, 15, 20, 23, 24, 25, 26];

    /// <summary>AUs whose activation comes only from the drawing. AU4 is drawn (furrow, lowered brows)
    /// but in Sadness and Fear it also follows the script, because the renderer cannot draw brows pulled
    /// together under raised inner ends.</summary>
    public static readonly IReadOnlyList<int> DrawnOnly = [1, 2, 6, 7, 9, 10, 12, 15, 20, 23, 24, 25, 26];

    /// <summary>The FG 2020 (ABAW1) AU list.</summary>
    public static readonly IReadOnlyList<string> Abaw2020Units = ["AU1", "AU2", "AU4", "AU6", "AU12", "AU15", "AU20", "AU25"];

    /// <summary>The AU list of ABAW2 (2021) and later.</summary>
    public static readonly IReadOnlyList<string> Abaw2021Units = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    /// <summary>The AUs an edition's AU files hold, in file order.</summary>
    public static IReadOnlyList<string> UnitsOf(AffWild2Edition edition) =>
        edition == AffWild2Edition.Abaw2020 ? Abaw2020Units : Abaw2021Units;

    /// <summary>An AU is active when its activation (times the person's gain for it) reaches this.</summary>
    public const double Threshold = 0.5;

    /// <summary>The change a face shows relative to a resting face, both clamped as the renderer draws them.</summary>
    public static FaceShape Change(FaceShape drawn, FaceShape resting) => drawn.Clamped() + -1 * resting.Clamped();

    /// <summary>Valence and arousal of a face change, before per-person variation (may leave [-1, 1]).</summary>
    public static (double Valence, double Arousal) Affect(FaceShape change)
    {
        var f = new Features(change);
        double valence = 0.50 * f.Smile + 0.35 * f.Cheek - 0.35 * f.Frown - 0.45 * f.Furrow - 0.30 * f.Wrinkle
                         - 0.25 * f.Asymmetry - 0.40 * f.InnerBrowUp + 0.25 * f.BrowUp - 0.20 * f.Stretch;
        double arousal = 0.35 * f.EyesWide + 0.20 * f.BrowUp + 0.35 * f.JawOpen + 0.30 * f.Smile + 0.65 * f.Furrow
                         + 0.10 * f.BrowDown + 0.35 * f.Wrinkle + 0.20 * f.Stretch - 0.30 * f.Frown;
        return (valence, arousal);
    }

    /// <summary>Activation of every AU in <see cref="Units"/> (about 1 at a class's apex; no upper bound).
    /// <paramref name="shown"/> and <paramref name="intensity"/> are the script's, used only for AU4 in
    /// Sadness and Fear (see <see cref="DrawnOnly"/>).</summary>
    public static double[] Activations(FaceShape change, Expression shown, double intensity)
    {
        var c = change;
        double inner = c.BrowRaise + c.BrowSlant, outer = c.BrowRaise; // brow ends' lift, as FaceGeometry.Brow draws them
        double narrowing = Math.Max(0, -c.EyeOpen), smile = Math.Max(0, c.MouthSmile), frown = Math.Max(0, -c.MouthSmile);
        double narrowMouth = Math.Max(0, -c.MouthWidth), open = Math.Max(0, c.MouthOpen);
        double scriptedBrowLowerer = shown switch
        {
            Expression.Sadness => 0.8 * intensity,
            Expression.Fear => 0.85 * intensity,
            _ => 0,
        };
        double[] a =
        [
            inner / 0.12,                                                          // AU1 inner brow raiser
            outer / 0.09,                                                          // AU2 outer brow raiser
            Math.Max(Math.Max(c.Furrow, -inner / 0.25), scriptedBrowLowerer),      // AU4 brow lowerer
            c.CheekRaise,                                                          // AU6 cheek raiser
            (narrowing - 0.35 * c.CheekRaise - 0.2) / 0.25,                        // AU7 lid tightener: narrowing a smile does not explain
            c.NoseWrinkle,                                                         // AU9 nose wrinkler
            c.UpperLipRaise / 0.04,                                                // AU10 upper lip raiser
            smile / 0.12,                                                          // AU12 lip corner puller
            (frown - 0.04) / 0.08,                                                 // AU15 lip corner depressor
            Math.Max(0, c.MouthWidth - 0.6 * smile) / 0.05,                        // AU20 lip stretcher: wider without a smile
            (narrowMouth - 1.5 * open - 0.03) / 0.06,                              // AU23 lip tightener: narrow, closed mouth
            (narrowMouth - 2 * open - 0.01) / 0.07,                                // AU24 lip presser
            (open + Math.Max(0, c.UpperLipRaise)) / 0.06,                          // AU25 lips part
            (open - 0.08) / 0.12,                                                  // AU26 jaw drop: a wide opening
        ];
        return a;
    }

    /// <summary>Position of an AU ("AU12") in <see cref="Units"/>.</summary>
    public static int IndexOf(string unit) =>
        unit.StartsWith("AU", StringComparison.Ordinal) && int.TryParse(unit.AsSpan(2), out int n) && Units.ToList().IndexOf(n) is int i and >= 0
            ? i
            : throw new ArgumentException($"'{unit}' is not an AU the synthetic faces derive", nameof(unit));

    /// <summary>Drawn movements scaled to about 1 at the apex of the class that makes them most.</summary>
    readonly struct Features(FaceShape c)
    {
        public double Smile { get; } = Math.Max(0, c.MouthSmile) / 0.17;
        public double Cheek { get; } = Math.Clamp(c.CheekRaise, 0, 1);
        public double Frown { get; } = Math.Max(0, -c.MouthSmile) / 0.14;
        public double Furrow { get; } = Math.Clamp(c.Furrow, 0, 1);
        public double Wrinkle { get; } = Math.Clamp(c.NoseWrinkle, 0, 1);
        public double Asymmetry { get; } = Math.Abs(c.MouthAsym) / 0.10;
        public double InnerBrowUp { get; } = Math.Max(0, c.BrowSlant) / 0.14;
        public double BrowUp { get; } = Math.Max(0, c.BrowRaise) / 0.15;
        public double BrowDown { get; } = Math.Max(0, -c.BrowRaise) / 0.09;
        public double EyesWide { get; } = Math.Max(0, c.EyeOpen) / 0.65;
        public double JawOpen { get; } = Math.Max(0, c.MouthOpen) / 0.30;
        public double Stretch { get; } = Math.Max(0, c.MouthWidth - 0.6 * Math.Max(0, c.MouthSmile)) / 0.07;
    }
}

/// <summary>How one person's faces are annotated: small per-person differences in how strongly
/// valence and arousal are read off the face, and in how readily each AU is judged present.</summary>
public sealed record AffectStyle(double ValenceGain, double ValenceBias, double ArousalGain, double ArousalBias, IReadOnlyList<double> UnitGains)
{
    /// <summary>No variation: the derivation as it stands.</summary>
    public static readonly AffectStyle Plain = new(1, 0, 1, 0, FaceAffect.Units.Select(_ => 1.0).ToArray());

    public static AffectStyle Sample(SeededRandom rng) => new(
        rng.Uniform(0.85, 1.15), rng.Uniform(-0.05, 0.05), rng.Uniform(0.85, 1.15), rng.Uniform(-0.05, 0.05),
        FaceAffect.Units.Select(_ => rng.Uniform(0.85, 1.15)).ToArray());

    /// <summary>Valence and arousal in [-1, 1] for a face change, plus annotation noise.</summary>
    public (double Valence, double Arousal) Affect(FaceShape change, double valenceNoise = 0, double arousalNoise = 0)
    {
        var (v, a) = FaceAffect.Affect(change);
        return (Math.Clamp(ValenceGain * v + ValenceBias + valenceNoise, -1, 1),
                Math.Clamp(ArousalGain * a + ArousalBias + arousalNoise, -1, 1));
    }

    /// <summary>Which AUs of <see cref="FaceAffect.Units"/> are active.</summary>
    public bool[] Active(FaceShape change, Expression shown, double intensity)
    {
        var a = FaceAffect.Activations(change, shown, intensity);
        return a.Select((x, i) => x * UnitGains[i] >= FaceAffect.Threshold).ToArray();
    }
}
