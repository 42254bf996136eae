using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Finds faces in one BGR image. Implementations are not thread-safe: one per thread.</summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>Faces in image pixel coordinates, best score first.</summary>
    IReadOnlyList<FaceDetection> Detect(Mat bgrImage);

    /// <summary>A search over the frames of one video, in order. It may use the previous frames to save
    /// work (BlazeFace: the full search now and then, known faces followed between). By default
    /// <see cref="Detect"/> on every frame.</summary>
    IVideoFaceSearch StartVideo() => new FrameByFrameSearch(this);
}

/// <summary>Faces in the frames of one video, one frame after the other; valid while its detector is.</summary>
public interface IVideoFaceSearch
{
    /// <summary>Faces in the next frame; <paramref name="rescan"/> (first frame, shot cut) asks for a full search.</summary>
    FaceSearchResult Next(Mat bgrImage, bool rescan);
}

/// <summary>The detector on every frame; the cost of a detector other than BlazeFace is not known, so
/// it counts one region and one pass per frame.</summary>
sealed class FrameByFrameSearch(IFaceDetector detector) : IVideoFaceSearch
{
    public FaceSearchResult Next(Mat bgrImage, bool rescan) => new(detector.Detect(bgrImage), 1, 1);
}
