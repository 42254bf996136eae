using OpenCvSharp;

namespace VideoFer.Data.Synthetic;

/// <summary>JPEG encoding at the fixed quality of <see cref="SynthOptions.JpegQuality"/>.</summary>
internal static class JpegCodec
{
    public static byte[] Encode(Mat image)
    {
        Cv2.ImEncode(".jpg", image, out byte[] bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, SynthOptions.JpegQuality));
        return bytes;
    }
}
