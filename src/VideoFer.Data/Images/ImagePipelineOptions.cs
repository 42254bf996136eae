namespace VideoFer.Data.Images;

/// <summary>How face images become network input (paper §IV-C: faces resized to 256, random 224 crops
/// for training, centre crops for evaluation).
/// <para>Images are resized to <see cref="BaseSize"/> x <see cref="BaseSize"/> (face crops are square),
/// then cropped to <see cref="CropSize"/>. Training adds a horizontal flip with probability 1/2 and colour
/// jitter with factors drawn from [1 - x, 1 + x] for brightness, contrast and saturation.</para></summary>
public sealed record ImagePipelineOptions
{
    public int BaseSize { get; init; } = 256;
    public int CropSize { get; init; } = 224;
    public bool HorizontalFlip { get; init; } = true;
    public double Brightness { get; init; } = 0.2;
    public double Contrast { get; init; } = 0.2;
    public double Saturation { get; init; } = 0.2;

    /// <summary>Per-channel mean and standard deviation in RGB order (ImageNet statistics by default).</summary>
    public IReadOnlyList<float> Mean { get; init; } = ImageNet.Mean;
    public IReadOnlyList<float> Std { get; init; } = ImageNet.Std;

    /// <summary>The options of evaluation and inference for a network trained on crops of
    /// <paramref name="cropSize"/> from faces resized to <paramref name="baseSize"/>.</summary>
    public static ImagePipelineOptions ForEvaluation(int cropSize, int baseSize, IReadOnlyList<float> mean, IReadOnlyList<float> std) =>
        new ImagePipelineOptions { CropSize = cropSize, BaseSize = baseSize, Mean = mean, Std = std }.Validated();

    /// <summary>Floats in one image tensor (3 x crop x crop).</summary>
    public int ImageFloats => 3 * CropSize * CropSize;

    /// <summary>Throws <see cref="VideoFerException"/> naming the first bad value.</summary>
    public ImagePipelineOptions Validated()
    {
        if (CropSize < 64) throw new VideoFerException($"The crop size must be at least 64 pixels (got {CropSize}).");
        if (BaseSize < CropSize) throw new VideoFerException($"The resize size ({BaseSize}) must be at least the crop size ({CropSize}).");
        if (BaseSize > 4096) throw new VideoFerException($"The resize size must be at most 4096 pixels (got {BaseSize}).");
        foreach (var (name, v) in new[] { ("brightness", Brightness), ("contrast", Contrast), ("saturation", Saturation) })
            if (v < 0 || v >= 1) throw new VideoFerException($"The {name} jitter must be in [0, 1) (got {v}).");
        if (Mean.Count != 3 || Std.Count != 3) throw new VideoFerException("Normalisation needs 3 means and 3 standard deviations (RGB).");
        if (Std.Any(s => s <= 0)) throw new VideoFerException("Normalisation standard deviations must be positive.");
        return this;
    }
}

/// <summary>ImageNet channel statistics in RGB order, which the pretrained backbones expect.</summary>
public static class ImageNet
{
    public static readonly IReadOnlyList<float> Mean = [0.485f, 0.456f, 0.406f];
    public static readonly IReadOnlyList<float> Std = [0.229f, 0.224f, 0.225f];
}
