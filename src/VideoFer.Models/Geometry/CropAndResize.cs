using VideoFer.Models.Expressions;

namespace VideoFer.Models.Geometry;

/// <summary>TensorFlow's <c>tf.image.cropAndResize</c> (bilinear, extrapolation value 0) for one box of an
/// HWC image, with its arithmetic: the box is given normalised to [0, 1] as (y1, x1, y2, x2) and stored as
/// float32, samples sit at y1 * (H - 1) + i * (y2 - y1) * (H - 1) / (cropH - 1), interpolation is computed in
/// double and stored as float32 (TF.js's CPU kernel). <paramref name="divide"/> then divides as tf.div does.</summary>
internal static class CropAndResize
{
    /// <summary>From an 8-bit picture, channels given out as RGB.</summary>
    public static float[] Run(FaceCrop image, float y1, float x1, float y2, float x2, int cropSize, float divide = 1f) =>
        Run(new BytePixels(image), image.Height, image.Width, y1, x1, y2, x2, cropSize, false, divide);

    /// <summary>From an HWC RGB float image; <paramref name="flipHorizontally"/> mirrors the result (tf.image.flipLeftRight).</summary>
    public static float[] Run(float[] image, int height, int width, float y1, float x1, float y2, float x2, int cropSize, bool flipHorizontally) =>
        Run(new FloatPixels(image, width), height, width, y1, x1, y2, x2, cropSize, flipHorizontally, 1f);

    static float[] Run<TPixels>(TPixels image, int height, int width, float y1, float x1, float y2, float x2,
        int cropSize, bool flipHorizontally, float divide) where TPixels : IPixels
    {
        const int channels = 3;
        int cropHeight = cropSize, cropWidth = cropSize;
        var output = new float[cropHeight * cropWidth * channels];
        double hScale = cropHeight > 1 ? ((double)y2 - y1) * (height - 1) / (cropHeight - 1) : 0;
        double wScale = cropWidth > 1 ? ((double)x2 - x1) * (width - 1) / (cropWidth - 1) : 0;
        for (int y = 0; y < cropHeight; y++)
        {
            double yIn = cropHeight > 1 ? (double)y1 * (height - 1) + y * hScale : 0.5 * ((double)y1 + y2) * (height - 1);
            if (yIn < 0 || yIn > height - 1) continue; // extrapolation value 0
            int top = (int)Math.Floor(yIn), bottom = (int)Math.Ceiling(yIn);
            double yLerp = yIn - top;
            for (int x = 0; x < cropWidth; x++)
            {
                double xIn = cropWidth > 1 ? (double)x1 * (width - 1) + x * wScale : 0.5 * ((double)x1 + x2) * (width - 1);
                if (xIn < 0 || xIn > width - 1) continue;
                int left = (int)Math.Floor(xIn), right = (int)Math.Ceiling(xIn);
                double xLerp = xIn - left;
                // tf.image.flipLeftRight after the crop: column x of the result is column W-1-x of the crop.
                int outX = flipHorizontally ? cropWidth - 1 - x : x;
                for (int c = 0; c < channels; c++)
                {
                    double tl = image.Get(top, left, c), tr = image.Get(top, right, c);
                    double bl = image.Get(bottom, left, c), br = image.Get(bottom, right, c);
                    double t = tl + (tr - tl) * xLerp;
                    double b = bl + (br - bl) * xLerp;
                    float v = (float)(t + (b - t) * yLerp);
                    output[(y * cropWidth + outX) * channels + c] = divide == 1f ? v : (float)((double)v / divide);
                }
            }
        }
        return output;
    }

    interface IPixels
    {
        double Get(int y, int x, int c);
    }

    readonly struct BytePixels(FaceCrop image) : IPixels
    {
        readonly ReadOnlyMemory<byte> pixels = image.Pixels;
        readonly int stride = image.Stride;
        readonly bool bgr = image.Order == ChannelOrder.Bgr;

        public double Get(int y, int x, int c) => pixels.Span[y * stride + 3 * x + (bgr ? 2 - c : c)];
    }

    readonly struct FloatPixels(float[] image, int width) : IPixels
    {
        public double Get(int y, int x, int c) => image[(y * width + x) * 3 + c];
    }
}
