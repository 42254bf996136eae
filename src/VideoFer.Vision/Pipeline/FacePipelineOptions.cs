using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Faces.Tracking;

namespace VideoFer.Vision.Pipeline;

/// <summary>Settings of <see cref="FacePipeline"/>.</summary>
public sealed record FacePipelineOptions
{
    public FaceDetectorOptions Detector { get; init; } = new();
    public TrackerOptions Tracker { get; init; } = new();

    /// <summary>Sides of the aligned square crops to produce for each face (112: Aff-Wild2, 256: the paper);
    /// empty for none.</summary>
    public IReadOnlyList<int> CropSizes { get; init; } = [112];

    /// <summary>Keep the decoded frame in <see cref="FrameFaces.Image"/>. Off by default, so only the
    /// current frame's crops stay in memory.</summary>
    public bool KeepFrameImage { get; init; }
}
