namespace VideoFer.Datasets;

/// <summary>One annotated frame of a video track, or one still image.
/// <para><see cref="Frame"/> is the 1-based video frame number (0 for still images);
/// <see cref="ImagePath"/> is null when the dataset has no image for that frame;
/// <see cref="Label"/> is in ABAW order, or -1 when the frame is to be ignored.</para></summary>
public sealed record FrameItem(string Dataset, string Split, string Stem, int Frame, string? ImagePath, int Label);

/// <summary>One frame slot of a clip. Padding slots (after the end of a video) have <see cref="Real"/> false.</summary>
public sealed record ClipFrame(int Frame, string? ImagePath, int Label, bool Real)
{
    /// <summary>When this frame has no image of its own and <see cref="ImagePath"/> was borrowed from
    /// the nearest frame that has one (see Clips.NearestFrameFill), that frame's number; otherwise null.</summary>
    public int? ImageFromFrame { get; init; }
}

/// <summary>A clip of consecutive frames of one track, as the network consumes it (paper §IV-C, D).</summary>
public sealed record Clip(string Stem, int StartFrame, IReadOnlyList<ClipFrame> Frames)
{
    public int Length => Frames.Count;
}
