using VideoFer.Data.Randomness;

namespace VideoFer.Data.Images;

/// <summary>The augmentation applied to one image, or to every frame of one clip: a clip is one face
/// track, so its frames must share the crop, flip and colour change (flipping frame by frame would
/// make the face jump). Crop offsets are in pixels of the resized image.</summary>
public readonly record struct AugmentParams(int CropX, int CropY, bool Flip, double Brightness, double Contrast, double Saturation)
{
    /// <summary>True when no colour change is applied.</summary>
    public bool NoJitter => Brightness == 1 && Contrast == 1 && Saturation == 1;

    /// <summary>Evaluation: centre crop, no flip, no colour change.</summary>
    public static AugmentParams Center(ImagePipelineOptions o) =>
        new((o.BaseSize - o.CropSize) / 2, (o.BaseSize - o.CropSize) / 2, false, 1, 1, 1);

    /// <summary>Training: random crop position, flip with probability 1/2 (if enabled), jitter factors in [1 - x, 1 + x].</summary>
    public static AugmentParams Sample(ImagePipelineOptions o, SeededRandom rng)
    {
        int range = o.BaseSize - o.CropSize;
        int x = rng.NextInclusive(0, range), y = rng.NextInclusive(0, range);
        bool flip = o.HorizontalFlip && rng.Chance(0.5);
        double b = Factor(o.Brightness, rng), c = Factor(o.Contrast, rng), s = Factor(o.Saturation, rng);
        return new AugmentParams(x, y, flip, b, c, s);
    }

    static double Factor(double amount, SeededRandom rng) => amount == 0 ? 1 : rng.Uniform(1 - amount, 1 + amount);
}
