using OpenCvSharp;

namespace VideoFer.Data.Images;

/// <summary>Reads an image file into a 3-channel BGR <see cref="Mat"/> with OpenCV. A path that is null,
/// names no file, or holds bytes OpenCV cannot decode gives null: datasets have frames without faces
/// and occasionally damaged files, and the pipeline treats both as missing rather than failing.</summary>
public static class ImageDecoder
{
    public static Mat? TryRead(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        Mat? mat = null;
        try
        {
            mat = Cv2.ImRead(path, ImreadModes.Color);
            if (mat.Empty() || mat.Type() != MatType.CV_8UC3)
            {
                mat.Dispose();
                return null;
            }
            return mat;
        }
        catch (OpenCVException)
        {
            mat?.Dispose();
            return null;
        }
    }
}
