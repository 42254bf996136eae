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

    /// <summary>In videos (<see cref="IFaceDetector.DetectInVideo"/>), tiles run on every k-th frame and
    /// at shot cuts only; on the frames between, the whole frame runs plus one region around each face
    /// of the previous frame that is small for the whole-frame pass (<see cref="SmallFaceFraction"/>), so
    /// small faces are followed on every frame at a fraction of the cost. A new small face is found at
    /// the next tiled frame at the latest. 1 = tiles on every frame.</summary>
    public int TileEvery { get; init; } = 8;

    /// <summary>Faces whose longer box side is under this fraction of the frame's longer side are
    /// "small": between tiled frames they get a region of their own, 4 times their side.</summary>
    public float SmallFaceFraction { get; init; } = 0.15f;

    /// <summary>Runs the whole frame and all tiles as one batch (one forward pass) instead of one pass per
    /// region. Same detections either way. Off by default: on 2 CPU cores it was within +-5 % of one pass
    /// per region, and a change of frame size (batch size) makes OpenCV re-plan the network.</summary>
    public bool BatchRegions { get; init; }
}
