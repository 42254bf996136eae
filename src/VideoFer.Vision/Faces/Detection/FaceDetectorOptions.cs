namespace VideoFer.Vision.Faces.Detection;

/// <summary>Settings of <see cref="BlazeFaceDetector"/>.</summary>
public sealed record FaceDetectorOptions
{
    public BlazeFaceModel Model { get; init; } = BlazeFaceModel.FullRange;

    /// <summary>Folder holding the .tflite files; null: see <see cref="ModelLocator"/>.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Minimum sigmoid score; null: MediaPipe's value for the model (0.6 full, 0.5 short).</summary>
    public float? MinScore { get; init; }

    /// <summary>Boxes overlapping more than this are merged (MediaPipe uses 0.3).</summary>
    public float NmsIoU { get; init; } = 0.3f;

    /// <summary>Weighted NMS (MediaPipe's choice) or plain NMS.</summary>
    public bool WeightedNms { get; init; } = true;

    /// <summary>Tiles across the short side run in addition to the whole frame, for small faces;
    /// 0 or 1 disables tiling (one inference per frame).</summary>
    public int TilesPerShortSide { get; init; } = 2;

    /// <summary>Overlap between neighbouring tiles, as a fraction of the tile side.</summary>
    public float TileOverlap { get; init; } = 0.25f;

    /// <summary>Tiles are only used on frames whose long side exceeds this multiple of the model input.</summary>
    public float MinFrameToInputForTiling { get; init; } = 1.5f;
}
