using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Finds faces in one BGR image. Implementations are not thread-safe: one per thread.</summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>Faces in image pixel coordinates, best score first.</summary>
    IReadOnlyList<FaceDetection> Detect(Mat bgrImage);

    /// <summary>Faces in the next frame of a video. A detector may use the previous frames to save work
    /// (BlazeFace: the full search now and then, known faces followed between); <paramref name="rescan"/> (first frame, shot cut) asks for
    /// a full search. By default the same as <see cref="Detect"/>.</summary>
    IReadOnlyList<FaceDetection> DetectInVideo(Mat bgrImage, bool rescan) => Detect(bgrImage);
}
