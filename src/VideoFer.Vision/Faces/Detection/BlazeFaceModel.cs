namespace VideoFer.Vision.Faces.Detection;

/// <summary>Which MediaPipe BlazeFace model to run.</summary>
public enum BlazeFaceModel
{
    /// <summary>face_detection_full_range.tflite: 192x192 input, faces up to ~5 m from the camera.</summary>
    FullRange,
    /// <summary>face_detection_short_range.tflite: 128x128 input, faces within ~2 m (selfies).</summary>
    ShortRange,
}

/// <summary>What differs between the two models, taken from the options of MediaPipe's published
/// face-detection graphs (SsdAnchorsCalculator and TensorsToDetectionsCalculator).</summary>
internal sealed record BlazeFaceSpec(
    string FileName,
    int InputSize,
    SsdAnchorOptions Anchors,
    float DefaultMinScore)
{
    public static BlazeFaceSpec For(BlazeFaceModel model) => model switch
    {
        // One 48x48 feature map (stride 4), one anchor per cell: 2304 anchors.
        BlazeFaceModel.FullRange => new("face_detection_full_range.tflite", 192,
            new SsdAnchorOptions(192, 192, [4], InterpolatedScaleAspectRatio: 0f), 0.6f),
        // Layers of strides 8, 16, 16, 16, two anchors per layer and cell: 16*16*2 + 8*8*6 = 896.
        BlazeFaceModel.ShortRange => new("face_detection_short_range.tflite", 128,
            new SsdAnchorOptions(128, 128, [8, 16, 16, 16], InterpolatedScaleAspectRatio: 1f), 0.5f),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}
