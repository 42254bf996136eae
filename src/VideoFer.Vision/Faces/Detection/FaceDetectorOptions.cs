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
    /// 0 or 1 disables tiling (one inference per frame). At most <see cref="MaxTilesPerShortSide"/>.</summary>
    public int TilesPerShortSide { get; init; } = 2;

    /// <summary>The most tiles across the short side: 8 gives 120 tiles on a 1280x720 frame, over 100 times
    /// the whole frame's cost; the cost grows with the square of the count (1000 ran for over 10 minutes
    /// on a 548x342 picture).</summary>
    public const int MaxTilesPerShortSide = 8;

    /// <summary>Overlap between neighbouring tiles, as a fraction of the tile side.</summary>
    public float TileOverlap { get; init; } = 0.25f;

    /// <summary>Tiles are only used on frames whose long side exceeds this multiple of the model input (480 pixels):
    /// in a smaller frame a face too small for the whole-frame pass is under about 30 pixels, and the tiles cost four
    /// times the whole frame (on 350-pixel photos: 118 against 30 ms a photo, for no face more in the 1,500 real ones).</summary>
    public float MinFrameToInputForTiling { get; init; } = 2.5f;

    /// <summary>In videos (<see cref="VideoFaceSearch"/>) the search for faces (whole frame,
    /// this model) runs on the first frame, at shot cuts and on every k-th frame; the tiles join it on
    /// every <see cref="TileSearchEvery"/>-th frame, and both run on any frame where a followed face
    /// is lost. Each face found is followed on the frames between by the short-range model in a fixed
    /// region around where the search saw it (<see cref="FollowRegionScale"/>): about a sixth of the
    /// cost of a whole-frame pass. While no face is followed the whole frame runs on every frame. A
    /// face that appears while others are followed is found at the next search: at most k-1 frames
    /// late, or <see cref="TileSearchEvery"/>-1 when only the tiles see it.
    /// 1 = the full search (whole frame and tiles) on every frame, nothing followed.</summary>
    public int FullSearchEvery { get; init; } = 8;

    /// <summary>In videos, the tiles run on every k-th frame (and when a followed face is lost); see
    /// <see cref="FullSearchEvery"/>.</summary>
    public int TileSearchEvery { get; init; } = 16;

    /// <summary>Side of a followed face's region, as a multiple of the longer side of its box at the
    /// last full search (the face fills about a third of it, as the short-range model expects, with
    /// room to move).</summary>
    public float FollowRegionScale { get; init; } = 3f;

    /// <summary>Runs the whole frame and all tiles as one batch (one forward pass) instead of one pass per
    /// region. Same detections either way. Off by default: on 2 CPU cores it was within +-5 % of one pass
    /// per region, and a change of frame size (batch size) makes OpenCV re-plan the network.</summary>
    public bool BatchRegions { get; init; }

    /// <summary>Where the full search finds no face, the short-range model looks at the whole frame with a
    /// border of <see cref="CloseUpBorder"/> around it: a face that fills the frame (a face crop, a close-up,
    /// a selfie) is too large for the full-range model, and MediaPipe's short-range model wants it at about a
    /// third to two thirds of its input. Measured on 1,500 real face photos (docs/FACES.md): 2.7 % found
    /// without it, 99.5 % with it. Only where nothing else was found, since on frames with faces it added
    /// false faces (hands, blurred crowds) at the short-range model's threshold.</summary>
    public bool CloseUps { get; init; } = true;

    /// <summary>The border of the close-up pass on each side, a fraction of the frame's longer side
    /// (measured: 0.15 gave 99.4 %, 0.25 99.5 %, 0.35 99.6 % of the real face photos).</summary>
    public float CloseUpBorder { get; init; } = 0.25f;

    /// <summary>The close-up pass's score threshold: MediaPipe's own for the short-range model (at 0.6 it
    /// found 98.4 % of the real face photos).</summary>
    public float CloseUpMinScore { get; init; } = 0.5f;

    /// <summary>Where the full search (with tiles) and the close-up pass find no face, the same search runs on
    /// the frame turned by 90 degrees each way and by 180 degrees (BlazeFace was trained on faces within about
    /// 45 degrees of upright), and the faces found are turned back. Costs three more searches, on faceless
    /// frames only; in videos only on the frames where the tiles run.</summary>
    public bool TurnedFaces { get; init; } = true;

    /// <summary>A face found only in a turned frame is kept when scored at least this: four searches, each with its
    /// close-up pass, give chance patterns four times the chances to pass for a face. Measured on 83 faceless
    /// pictures of Debian's opencv-doc samples: 6 of them got a face from the turned frames at MediaPipe's
    /// 0.5, scored 0.56 to 0.74 (docs/FACES.md).</summary>
    public float TurnedMinScore { get; init; } = 0.75f;

    /// <summary>Refuses settings the detector cannot run with in reasonable time.</summary>
    public void Validate()
    {
        if (TilesPerShortSide is < 0 or > MaxTilesPerShortSide)
            throw new VideoFerException($"tiles per short side (--tiles) must be between 0 and {MaxTilesPerShortSide}, got {TilesPerShortSide}");
        if (CloseUpBorder is < 0 or > 2 || !float.IsFinite(CloseUpBorder))
            throw new VideoFerException($"the close-up border must be between 0 and 2 (a fraction of the frame's longer side), got {CloseUpBorder}");
    }
}
