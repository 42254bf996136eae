namespace VideoFer.Models.Expressions;

/// <summary>The input pipeline face-api (npm @vladmandic/face-api 1.7.15) runs before its expression network when
/// given an image tensor (NetInput.toBatchTensor(112, centred) then FaceFeatureExtractor's normalisation):
/// <list type="number">
/// <item>the crop as RGB, 0..255;</item>
/// <item>padded to a square with zeros (black) along its shorter side: of the |height - width| rows or columns,
/// round(diff / 2) (JavaScript rounding, halves up) go after the image (bottom/right) and the rest before it
/// (top/left), so an odd difference puts the extra one at the bottom/right;</item>
/// <item>unless the square side is already 112, a bilinear resize to 112 x 112 with TF's legacy sampling
/// (tf.image.resizeBilinear, alignCorners = false, halfPixelCenters = false: source = destination * side / 112);</item>
/// <item>minus the mean RGB (122.782, 117.001, 104.298), then divided by 255.</item>
/// </list>
/// Each step rounds to float32 where TF.js's CPU backend stores a tensor and computes in double in between, as its
/// kernels do. (In a browser face-api draws an image onto a canvas instead, without padding the tensor; that path
/// is not this one.)</summary>
public static class FaceApiPreprocessing
{
    /// <summary>Side of the square network input.</summary>
    public const int InputSize = 112;

    /// <summary>face-api's mean RGB, as the float32 values tf.fill stores.</summary>
    public static readonly IReadOnlyList<float> MeanRgb = [122.782f, 117.001f, 104.298f];

    /// <summary>The network input for <paramref name="crop"/>: 3 x 112 x 112 values, channel-major (the data of an
    /// NCHW [1, 3, 112, 112] tensor, channels R, G, B).</summary>
    public static float[] ToModelInput(FaceCrop crop)
    {
        var result = new float[3 * InputSize * InputSize];
        ToModelInput(crop, result);
        return result;
    }

    /// <summary>Writes the network input for <paramref name="crop"/> into <paramref name="destination"/>
    /// (3 * 112 * 112 values, CHW).</summary>
    public static void ToModelInput(FaceCrop crop, Span<float> destination)
    {
        const int plane = InputSize * InputSize;
        if (destination.Length < 3 * plane)
            throw new ArgumentException($"room for {destination.Length} values, {3 * plane} needed", nameof(destination));
        var pixels = crop.Pixels.Span;
        int height = crop.Height, width = crop.Width, stride = crop.Stride;
        bool bgr = crop.Order == ChannelOrder.Bgr;

        // The padded square: side x side, the crop at (top, left) in it.
        int side = Math.Max(height, width);
        int diff = side - Math.Min(height, width);
        int before = diff - (diff + 1) / 2; // Math.round(diff * 0.5) goes after; the rest before
        int top = height < width ? before : 0;
        int left = width < height ? before : 0;

        float mr = MeanRgb[0], mg = MeanRgb[1], mb = MeanRgb[2];
        Span<double> corner = stackalloc double[12]; // 4 corners x RGB
        double ratio = (double)side / InputSize;
        for (int r = 0; r < InputSize; r++)
        {
            double srcRow = ratio * r;
            int row0 = (int)Math.Floor(srcRow);
            int row1 = Math.Min(side - 1, (int)Math.Ceiling(srcRow));
            double rowFrac = srcRow - row0;
            for (int c = 0; c < InputSize; c++)
            {
                double srcCol = ratio * c;
                int col0 = (int)Math.Floor(srcCol);
                int col1 = Math.Min(side - 1, (int)Math.Ceiling(srcCol));
                double colFrac = srcCol - col0;
                Fetch(pixels, stride, bgr, row0 - top, col0 - left, height, width, corner[..3]);
                Fetch(pixels, stride, bgr, row0 - top, col1 - left, height, width, corner[3..6]);
                Fetch(pixels, stride, bgr, row1 - top, col0 - left, height, width, corner[6..9]);
                Fetch(pixels, stride, bgr, row1 - top, col1 - left, height, width, corner[9..]);
                int o = r * InputSize + c;
                for (int d = 0; d < 3; d++)
                {
                    double tl = corner[d], tr = corner[3 + d], bl = corner[6 + d], br = corner[9 + d];
                    // The same expression, in double, as TF.js's CPU kernel; with side == 112 every fraction is 0 and
                    // the pixel passes unchanged, as when face-api skips the resize.
                    double upper = tl + (tr - tl) * colFrac;
                    double lower = bl + (br - bl) * colFrac;
                    float resized = (float)(upper + (lower - upper) * rowFrac);
                    float mean = d == 0 ? mr : d == 1 ? mg : mb;
                    float centred = resized - mean; // float32 arithmetic rounds as TF.js's double-then-store does
                    destination[d * plane + o] = centred / 255f;
                }
            }
        }
    }

    // RGB of the padded image at (row, col) of the crop, zero outside it.
    private static void Fetch(ReadOnlySpan<byte> pixels, int stride, bool bgr, int row, int col, int height, int width, Span<double> rgb)
    {
        if ((uint)row >= (uint)height || (uint)col >= (uint)width)
        {
            rgb.Clear();
            return;
        }
        int i = row * stride + 3 * col;
        if (bgr)
        {
            rgb[0] = pixels[i + 2];
            rgb[1] = pixels[i + 1];
            rgb[2] = pixels[i];
        }
        else
        {
            rgb[0] = pixels[i];
            rgb[1] = pixels[i + 1];
            rgb[2] = pixels[i + 2];
        }
    }
}
