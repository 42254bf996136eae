using VideoFer.Vision.Pipeline;

namespace VideoFer.Vision.Prepare;

/// <summary>Settings of <see cref="VideoPreparer"/>.</summary>
public sealed record PrepareOptions
{
    /// <summary>Root of the outputs (cropped_aligned/, faces/).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Detection, tracking and crop sizes.</summary>
    public FacePipelineOptions Pipeline { get; init; } = new();

    /// <summary>JPEG quality of the crops (0-100).</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Tracks seen on fewer frames are dropped as spurious detections (capped at the number of
    /// frames, so a single image keeps its faces).</summary>
    public int MinTrackFrames { get; init; } = 3;

    /// <summary>With exactly two face streams, name them _left/_right by mean horizontal position,
    /// as Aff-Wild2 does, instead of _1/_2.</summary>
    public bool LeftRightNames { get; init; }

    /// <summary>Redo videos already marked complete.</summary>
    public bool Force { get; init; }

    /// <summary>Assumed frame rate of image folders and single images.</summary>
    public double ImageFps { get; init; } = 25;
}
