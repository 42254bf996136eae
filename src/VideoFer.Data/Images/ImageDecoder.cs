using OpenCvSharp;
using VideoFer.Formats;

namespace VideoFer.Data.Images;

/// <summary>Reads an image file into a 3-channel BGR <see cref="Mat"/> with OpenCV. A path that is null,
/// names no file, holds bytes OpenCV cannot decode, or a picture over <see cref="FrameSize.MaxPixels"/>
/// gives null: datasets have frames without faces and occasionally damaged files, and the pipeline
/// treats them as missing rather than failing. The size is read from the header first, so that a
/// small file declaring a huge picture is never decoded (a 30000x30000 PNG of under 1 MB takes 5.5 GB).</summary>
public static class ImageDecoder
{
    public static Mat? TryRead(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        Mat? mat = null;
        try
        {
            if (FrameSize.ReadHeader(path) is var (width, height) && width * height > FrameSize.MaxPixels) return null;
            mat = Cv2.ImRead(path, ImreadModes.Color);
            if (mat.Empty() || mat.Type() != MatType.CV_8UC3 || (long)mat.Width * mat.Height > FrameSize.MaxPixels)
            {
                mat.Dispose();
                return null;
            }
            return mat;
        }
        catch (Exception e) when (e is OpenCVException or IOException or UnauthorizedAccessException)
        {
            mat?.Dispose();
            return null;
        }
    }
}
