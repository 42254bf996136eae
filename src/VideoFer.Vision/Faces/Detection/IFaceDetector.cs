using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Finds faces in one BGR image. Implementations are not thread-safe: one per thread.</summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>Faces in image pixel coordinates, best score first.</summary>
    IReadOnlyList<FaceDetection> Detect(Mat bgrImage);
}
