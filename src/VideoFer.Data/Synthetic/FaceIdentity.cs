using OpenCvSharp;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Everything about a synthetic person that stays fixed along a track: colours, proportions,
/// accessories, the scene behind them and their resting face. Varying these between tracks forces a
/// model to read the expression rather than recognise the person.</summary>
public sealed record FaceIdentity(
    Scalar Skin, Scalar Hair, Scalar Lips, Scalar Iris, Scalar Shirt,
    Scalar BackgroundTop, Scalar BackgroundBottom,
    double FaceWidth,        // head half width, face units
    double EyeSpacing,       // eye centre distance from the midline
    double EyeSize,          // eye size factor
    double EyeY, double BrowY, double MouthY,
    double BrowThickness,
    double HairVolume,       // how far hair reaches around the head
    bool Glasses,
    FaceShape RestingFace,   // this person's neutral face
    int BackgroundClutter,   // number of shapes drawn in the background
    ulong BackgroundSeed)    // where those shapes go
{
    /// <summary>Draws a random person.</summary>
    public static FaceIdentity Sample(SeededRandom rng)
    {
        // Skin from a light-to-dark ramp with a little hue variation (BGR order, as OpenCV draws).
        double tone = rng.NextDouble();
        double b = 60 + 150 * (1 - tone), g = 80 + 140 * (1 - tone), r = 110 + 125 * (1 - tone * 0.9);
        var skin = new Scalar(b + rng.Uniform(-10, 10), g + rng.Uniform(-10, 10), Math.Min(255, r + rng.Uniform(-5, 15)));
        double hairDark = rng.Uniform(0.05, 0.6);
        var hair = rng.Chance(0.15)
            ? Colors.Scale(new Scalar(40, 90, 170), rng.Uniform(0.6, 1.0))  // red/blond
            : Colors.Scale(new Scalar(40, 45, 55), 0.5 + 2 * hairDark);
        var lips = new Scalar(skin.Val0 * 0.55, skin.Val1 * 0.5, Math.Min(255, skin.Val2 * 0.85 + 20));
        var iris = new Scalar(rng.Uniform(20, 110), rng.Uniform(20, 90), rng.Uniform(10, 60));
        var shirt = new Scalar(rng.Uniform(20, 235), rng.Uniform(20, 235), rng.Uniform(20, 235));
        var bgTop = new Scalar(rng.Uniform(30, 230), rng.Uniform(30, 230), rng.Uniform(30, 230));
        var bgBottom = Colors.Scale(bgTop, rng.Uniform(0.5, 1.1));

        var resting = FaceShape.Neutral with
        {
            MouthWidth = rng.Uniform(0.26, 0.33),
            MouthSmile = rng.Uniform(-0.02, 0.02),
            BrowRaise = rng.Uniform(-0.02, 0.02),
            BrowSlant = rng.Uniform(-0.025, 0.025),
            EyeOpen = rng.Uniform(0.85, 1.1),
        };
        return new FaceIdentity(
            skin, hair, lips, iris, shirt, bgTop, bgBottom,
            FaceWidth: rng.Uniform(0.70, 0.84),
            EyeSpacing: rng.Uniform(0.29, 0.35),
            EyeSize: rng.Uniform(0.9, 1.1),
            EyeY: rng.Uniform(-0.20, -0.14),
            BrowY: rng.Uniform(-0.40, -0.34),
            MouthY: rng.Uniform(0.43, 0.50),
            BrowThickness: rng.Uniform(0.035, 0.06),
            HairVolume: rng.Uniform(0.0, 0.12),
            Glasses: rng.Chance(0.15),
            RestingFace: resting,
            BackgroundClutter: rng.Next(6),
            BackgroundSeed: rng.NextUInt64());
    }
}
