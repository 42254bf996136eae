namespace VideoFer.Vision.Faces.Tracking;

/// <summary>Settings of <see cref="FaceTracker"/>.</summary>
public sealed record TrackerOptions
{
    /// <summary>Frames a face may go undetected and still continue its track (missed detections,
    /// a hand passing in front). Longer gaps start a new track.</summary>
    public int MaxGap { get; init; } = 12;

    /// <summary>A detection may join a track when their boxes overlap at least this much ...</summary>
    public float MinIoU { get; init; } = 0.2f;

    /// <summary>... or when their keypoints are on average closer than this fraction of the face size.</summary>
    public float MaxKeypointDistance { get; init; } = 0.5f;

    /// <summary>Bhattacharyya histogram distance that counts as a shot cut; above 1 disables cut detection.
    /// On Megamind.avi consecutive frames of one shot stay below 0.08 and its cuts reach 0.28 to 0.96.</summary>
    public double ShotCutThreshold { get; init; } = 0.2;
}
