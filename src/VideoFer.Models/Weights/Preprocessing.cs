using System.Text.Json.Serialization;

namespace VideoFer.Models.Weights;

/// <summary>How faces are cut from the frame before the network sees them.</summary>
public enum FaceCropKind
{
    /// <summary>The aligned face square (Aff-Wild2's cropped_aligned, or predict's aligner), resized to
    /// <see cref="Preprocessing.BaseSize"/> and centre-cropped to <see cref="Preprocessing.InputSize"/>.</summary>
    AlignedCenter,
}

/// <summary>What a network was trained to see, stored in its checkpoint so that eval and predict feed
/// it the same: the resize and crop sides, the normalisation and the clip length. Plain numbers, so
/// the model layer needs no image code.</summary>
public sealed record Preprocessing
{
    /// <summary>ImageNet channel statistics in RGB order (what every VideoFer network is trained with).</summary>
    public static readonly IReadOnlyList<float> ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly IReadOnlyList<float> ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Side of the network input (the centre crop).</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 224;

    /// <summary>Side the face is resized to before the crop.</summary>
    [JsonPropertyName("base_size")] public int BaseSize { get; init; } = 256;

    [JsonPropertyName("mean")] public IReadOnlyList<float> Mean { get; init; } = ImageNetMean;
    [JsonPropertyName("std")] public IReadOnlyList<float> Std { get; init; } = ImageNetStd;
    [JsonPropertyName("crop")] public FaceCropKind Crop { get; init; } = FaceCropKind.AlignedCenter;

    /// <summary>Frames per clip (1 for a frame model).</summary>
    [JsonPropertyName("clip_length")] public int ClipLength { get; init; } = 8;

    /// <summary>What checkpoints written before the preprocessing was stored get: the sizes their
    /// training config recorded (<paramref name="trainedBaseSize"/>, when there is one), else the
    /// resize VideoFer used then, max(256, input).</summary>
    public static Preprocessing For(ExpressionNetConfig config, ModelKind kind, int? trainedBaseSize = null) => new()
    {
        InputSize = config.InputSize,
        BaseSize = trainedBaseSize ?? Math.Max(256, config.InputSize),
        ClipLength = kind == ModelKind.Clip ? config.ClipLength : 1,
    };

    /// <summary>These numbers with the resize side a user chose instead (null keeps the stored one);
    /// <paramref name="option"/> names the choice in the error.</summary>
    public Preprocessing WithBaseSize(int? baseSize, string option)
    {
        if (baseSize is not int side) return this;
        if (side < InputSize || side > 4096)
            throw new VideoFerException($"{option} {side}: expected a side from the network's input size ({InputSize}) to 4096 pixels");
        return this with { BaseSize = side };
    }

    /// <summary>The first thing wrong with these numbers, or null.</summary>
    public string? Problem()
    {
        if (InputSize < 64) return $"input_size {InputSize} is below 64";
        if (BaseSize < InputSize) return $"base_size {BaseSize} is smaller than input_size {InputSize}";
        if (BaseSize > 4096) return $"base_size {BaseSize} is above 4096";
        if (Mean is not { Count: 3 } || Std is not { Count: 3 }) return "mean and std need 3 values each (RGB)";
        if (Std.Any(s => !(s > 0)) || Mean.Any(m => !float.IsFinite(m))) return "std must be positive and mean finite";
        if (ClipLength < 1) return $"clip_length {ClipLength} is below 1";
        return null;
    }
}
