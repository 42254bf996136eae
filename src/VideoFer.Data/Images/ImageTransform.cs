using System.Runtime.InteropServices;
using OpenCvSharp;

namespace VideoFer.Data.Images;

/// <summary>Turns a decoded BGR image into normalised network input: resize to the base size, crop,
/// optional horizontal flip and colour jitter, then per-channel normalisation, written as float32
/// CHW in RGB order. Thread-safe (no state besides the options).</summary>
public sealed class ImageTransform
{
    // Luma weights (ITU-R 601), as torchvision uses for contrast and saturation.
    const float LumaR = 0.299f, LumaG = 0.587f, LumaB = 0.114f;

    readonly ImagePipelineOptions _o;

    public ImageTransform(ImagePipelineOptions options) => _o = options.Validated();

    public ImagePipelineOptions Options => _o;

    /// <summary>Writes 3 x crop x crop floats into <paramref name="chw"/> (channel planes R, G, B).</summary>
    public void Apply(Mat bgr, AugmentParams p, Span<float> chw)
    {
        int c = _o.CropSize, plane = c * c;
        if (chw.Length != 3 * plane) throw new ArgumentException($"Expected {3 * plane} floats, got {chw.Length}.", nameof(chw));
        if (p.CropX < 0 || p.CropY < 0 || p.CropX + c > _o.BaseSize || p.CropY + c > _o.BaseSize)
            throw new ArgumentOutOfRangeException(nameof(p), p, "The crop must lie inside the resized image.");

        byte[] pixels = Resized(bgr);
        int stride = _o.BaseSize * 3;
        var r = chw[..plane];
        var g = chw.Slice(plane, plane);
        var b = chw.Slice(2 * plane, plane);
        const float toUnit = 1f / 255f;
        for (int y = 0; y < c; y++)
        {
            int row = (p.CropY + y) * stride;
            for (int x = 0; x < c; x++)
            {
                // Flipping reads the crop's columns right to left.
                int sx = p.CropX + (p.Flip ? c - 1 - x : x);
                int i = row + 3 * sx, o = y * c + x;
                b[o] = pixels[i] * toUnit;
                g[o] = pixels[i + 1] * toUnit;
                r[o] = pixels[i + 2] * toUnit;
            }
        }
        if (!p.NoJitter)
            Jitter(r, g, b, p);
        Normalise(r, _o.Mean[0], _o.Std[0]);
        Normalise(g, _o.Mean[1], _o.Std[1]);
        Normalise(b, _o.Mean[2], _o.Std[2]);
    }

    /// <summary>The image resized to base x base (bilinear when enlarging, pixel-area when shrinking), as packed BGR bytes.</summary>
    byte[] Resized(Mat bgr)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException("Expected an 8-bit BGR image.", nameof(bgr));
        int n = _o.BaseSize;
        Mat? resized = null;
        try
        {
            Mat src = bgr;
            if (bgr.Rows != n || bgr.Cols != n)
            {
                resized = new Mat();
                var interpolation = bgr.Rows > n && bgr.Cols > n ? InterpolationFlags.Area : InterpolationFlags.Linear;
                Cv2.Resize(bgr, resized, new Size(n, n), 0, 0, interpolation);
                src = resized;
            }
            else if (!bgr.IsContinuous())
            {
                resized = bgr.Clone();
                src = resized;
            }
            var bytes = new byte[n * n * 3];
            Marshal.Copy(src.Data, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            resized?.Dispose();
        }
    }

    /// <summary>Brightness, then contrast around the mean luma, then saturation around each pixel's
    /// luma (torchvision's definitions, in a fixed order), clamping to [0, 1] after each step.</summary>
    static void Jitter(Span<float> r, Span<float> g, Span<float> b, AugmentParams p)
    {
        int n = r.Length;
        float k = (float)p.Brightness;
        for (int i = 0; i < n; i++)
        {
            r[i] = Clamp01(r[i] * k);
            g[i] = Clamp01(g[i] * k);
            b[i] = Clamp01(b[i] * k);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += LumaR * r[i] + LumaG * g[i] + LumaB * b[i];
        float mean = (float)(sum / n), c = (float)p.Contrast;
        for (int i = 0; i < n; i++)
        {
            r[i] = Clamp01((r[i] - mean) * c + mean);
            g[i] = Clamp01((g[i] - mean) * c + mean);
            b[i] = Clamp01((b[i] - mean) * c + mean);
        }
        float s = (float)p.Saturation;
        for (int i = 0; i < n; i++)
        {
            float l = LumaR * r[i] + LumaG * g[i] + LumaB * b[i];
            r[i] = Clamp01((r[i] - l) * s + l);
            g[i] = Clamp01((g[i] - l) * s + l);
            b[i] = Clamp01((b[i] - l) * s + l);
        }
    }

    static void Normalise(Span<float> plane, float mean, float std)
    {
        float inv = 1f / std;
        for (int i = 0; i < plane.Length; i++) plane[i] = (plane[i] - mean) * inv;
    }

    static float Clamp01(float v) => v < 0 ? 0 : v > 1 ? 1 : v;
}
