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

    /// <summary>In videos (<see cref="IFaceDetector.DetectInVideo"/>) the full search (whole frame and
    /// tiles, this model) runs on the first frame, at shot cuts and on every k-th frame. Each face it
    /// finds is then followed on the frames between by the short-range model in a fixed region around
    /// where the full search saw it (<see cref="FollowRegionScale"/>): about a sixth of the cost of a
    /// whole-frame pass. A face not found again in its region triggers a full search on that frame; a
    /// new face is found at the next full search, at most k-1 frames late.
    /// 1 = the full search on every frame, nothing followed.</summary>
    public int FullSearchEvery { get; init; } = 8;

    /// <summary>Side of a followed face's region, as a multiple of the longer side of its box at the
    /// last full search (the face fills about a third of it, as the short-range model expects, with
    /// room to move).</summary>
    public float FollowRegionScale { get; init; } = 3f;

    /// <summary>Runs the whole frame and all tiles as one batch (one forward pass) instead of one pass per
    /// region. Same detections either way. Off by default: on 2 CPU cores it was within +-5 % of one pass
    /// per region, and a change of frame size (batch size) makes OpenCV re-plan the network.</summary>
    public bool BatchRegions { get; init; }
}
