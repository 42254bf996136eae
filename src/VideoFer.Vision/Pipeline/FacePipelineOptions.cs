using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Faces.Tracking;

namespace VideoFer.Vision.Pipeline;

/// <summary>Where the faces of each image come from.</summary>
public enum FaceSource
{
    /// <summary>BlazeFace finds them (<see cref="FacePipelineOptions.Detector"/>).</summary>
    Detect,
    /// <summary>Each image is one face (<see cref="WholeImageFace"/>): for inputs that are face crops already.</summary>
    Whole,
}

/// <summary>Settings of <see cref="FacePipeline"/>.</summary>
public sealed record FacePipelineOptions
{
    public FaceDetectorOptions Detector { get; init; } = new();

    /// <summary>Detect faces (default), or take each image as one face (<c>--faces whole</c>).</summary>
    public FaceSource Faces { get; init; } = FaceSource.Detect;
    public TrackerOptions Tracker { get; init; } = new();

    /// <summary>Sides of the aligned square crops to produce for each face (112: Aff-Wild2, 256: the paper);
    /// empty for none.</summary>
    public IReadOnlyList<int> CropSizes { get; init; } = [112];

    /// <summary>Keep the decoded frame in <see cref="FrameFaces.Image"/>. Off by default, so only the
    /// current frame's crops stay in memory.</summary>
    public bool KeepFrameImage { get; init; }
}
