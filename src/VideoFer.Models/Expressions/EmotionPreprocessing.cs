namespace VideoFer.Models.Expressions;

/// <summary>The pre-processing the publisher of the embedded emotion model applies to a face crop
/// (@vladmandic/human 3.3.6, src/gear/emotion.ts, grayscale branch, with the crop arriving as Human's face
/// tensor: RGB divided by 255):
/// <list type="number">
/// <item>RGB / 255 as float32;</item>
/// <item>bilinear resize to the model's input size with TF's legacy sampling (tf.image.resizeBilinear,
/// alignCorners = false, halfPixelCenters = false: source = destination * in/out, no half-pixel shift);</item>
/// <item>grayscale = 0.2989 R + 0.5870 G + 0.1140 B (MATLAB's rgb2gray weights);</item>
/// <item>(gray - 0.5) * 2, so pixels lie in [-1, 1].</item>
/// </list>
/// Each step rounds to float32 where TF.js's CPU backend stores a tensor and works in double in between,
/// as its kernels do, so the result matches TF.js to the last bit or so.</summary>
public static class EmotionPreprocessing
{
    // float32, as tf.tensor1d stores them.
    private static readonly float[] GrayWeights = [0.2989f, 0.5870f, 0.1140f];

    /// <summary>The model input for <paramref name="crop"/>: <paramref name="size"/> x <paramref name="size"/>
    /// values, row-major (the data of an NHWC [1, size, size, 1] tensor).</summary>
    public static float[] ToModelInput(FaceCrop crop, int size)
    {
        var resized = ResizeBilinearLegacy(crop, size, size);
        var result = new float[size * size];
        for (int i = 0; i < result.Length; i++)
        {
            double sum = 0;
            for (int c = 0; c < 3; c++) sum += (float)((double)resized[3 * i + c] * GrayWeights[c]);
            float gray = (float)sum;
            float centred = (float)(gray - 0.5);
            result[i] = (float)(centred * 2.0);
        }
        return result;
    }

    // byte / 255 as float32: the values of the normalised image, looked up instead of converting every pixel.
    private static readonly float[] Unit = Enumerable.Range(0, 256).Select(v => (float)(v / 255.0)).ToArray();

    /// <summary>tf.image.resizeBilinear without aligned corners or half-pixel centres, applied to the crop
    /// divided by 255, giving HWC RGB float32. Only the source pixels the resize reads are normalised.</summary>
    internal static float[] ResizeBilinearLegacy(FaceCrop crop, int newHeight, int newWidth)
    {
        var pixels = crop.Pixels.Span;
        int height = crop.Height, width = crop.Width, stride = crop.Stride;
        bool bgr = crop.Order == ChannelOrder.Bgr;
        var result = new float[newHeight * newWidth * 3];
        double rowRatio = (double)height / newHeight;
        double colRatio = (double)width / newWidth;
        int o = 0;
        for (int r = 0; r < newHeight; r++)
        {
            double srcRow = rowRatio * r;
            int top = (int)Math.Floor(srcRow);
            int bottom = Math.Min(height - 1, (int)Math.Ceiling(srcRow));
            double rowFrac = srcRow - top;
            for (int c = 0; c < newWidth; c++)
            {
                double srcCol = colRatio * c;
                int left = (int)Math.Floor(srcCol);
                int right = Math.Min(width - 1, (int)Math.Ceiling(srcCol));
                double colFrac = srcCol - left;
                for (int d = 0; d < 3; d++)
                {
                    int channel = bgr ? 2 - d : d;
                    double tl = Unit[pixels[top * stride + 3 * left + channel]];
                    double tr = Unit[pixels[top * stride + 3 * right + channel]];
                    double bl = Unit[pixels[bottom * stride + 3 * left + channel]];
                    double br = Unit[pixels[bottom * stride + 3 * right + channel]];
                    // The same expression, in double, as TF.js's CPU kernel.
                    double upper = tl + (tr - tl) * colFrac;
                    double lower = bl + (br - bl) * colFrac;
                    result[o++] = (float)(upper + (lower - upper) * rowFrac);
                }
            }
        }
        return result;
    }
}
