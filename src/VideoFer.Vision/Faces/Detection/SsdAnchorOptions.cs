namespace VideoFer.Vision.Faces.Detection;

/// <summary>The subset of MediaPipe's SSD anchor options BlazeFace uses. Both face models use a single
/// aspect ratio of 1 and fixed-size anchors, so anchors only differ by their centres.</summary>
/// <param name="InterpolatedScaleAspectRatio">When &gt; 0 every layer adds one extra anchor per cell
/// (MediaPipe's "interpolated scale" anchor); the full-range model sets it to 0.</param>
internal sealed record SsdAnchorOptions(
    int InputWidth,
    int InputHeight,
    int[] Strides,
    float InterpolatedScaleAspectRatio,
    float AnchorOffsetX = 0.5f,
    float AnchorOffsetY = 0.5f);
