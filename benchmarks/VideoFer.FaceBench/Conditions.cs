using OpenCvSharp;

namespace VideoFer.FaceBench;

/// <summary>Where a known face should be found in a degraded image: <see cref="Box"/> the known box carried through
/// the degradation (for a roll, the bounds of the rotated box), <see cref="Centre"/> its centre and
/// <see cref="Side"/> the known box's side at the new scale (mean of width and height).</summary>
readonly record struct Target(int Known, Rect2f Box, Point2f Centre, float Side);

/// <summary>A degraded copy of a source image and its targets (known faces that are still wholly in the frame).</summary>
sealed record Degraded(Mat Image, Target[] Targets) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

/// <summary>One way of making the faces harder. <see cref="Apply"/> returns null where the condition does not apply to
/// an image (a face already smaller than the size asked for).</summary>
abstract class Condition(string name, string group, string description)
{
    public string Name { get; } = name;
    public string Group { get; } = group;
    public string Description { get; } = description;

    public abstract Degraded? Apply(Mat image, IReadOnlyList<Rect2f> known);

    protected static Target Same(int k, Rect2f b) => new(k, b, new Point2f(b.X + b.Width / 2, b.Y + b.Height / 2), (b.Width + b.Height) / 2);

    protected static Target[] AllSame(IReadOnlyList<Rect2f> known) => [.. known.Select((b, k) => Same(k, b))];

    /// <summary>The benchmark's conditions, in report order.</summary>
    public static IReadOnlyList<Condition> All { get; } =
    [
        new Clean(),
        new Roll(15), new Roll(30), new Roll(45), new Roll(60), new Roll(90),
        new SmallFace(80), new SmallFace(40), new SmallFace(24),
        new Dark(0.3), new Dark(0.15),
        new Blur(2), new Blur(4),
        new Jpeg(10), new Jpeg(5),
        new Cover(lowerThird: true), new Cover(lowerThird: false),
    ];
}

sealed class Clean() : Condition("clean", "clean", "the image as it is")
{
    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known) => new(image.Clone(), AllSame(known));
}

/// <summary>Rolled in the image plane by <c>degrees</c> counter-clockwise (OpenCV's positive angle), the canvas
/// grown so that nothing is cut, black outside.</summary>
sealed class Roll(double degrees) : Condition($"roll {degrees}°", "roll",
    $"rotated {degrees} degrees counter-clockwise about the image centre, canvas expanded to hold it all, black fill, bilinear")
{
    public double Degrees { get; } = degrees;

    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        double rad = Degrees * Math.PI / 180;
        double c = Math.Abs(Math.Round(Math.Cos(rad), 12)), s = Math.Abs(Math.Round(Math.Sin(rad), 12));
        int w = image.Width, h = image.Height;
        int nw = (int)Math.Ceiling(w * c + h * s - 1e-9), nh = (int)Math.Ceiling(w * s + h * c - 1e-9);
        using var m = Cv2.GetRotationMatrix2D(new Point2f(w / 2f, h / 2f), Degrees, 1);
        m.Set(0, 2, m.At<double>(0, 2) + (nw - w) / 2.0);
        m.Set(1, 2, m.At<double>(1, 2) + (nh - h) / 2.0);
        var a = new double[6];
        for (int i = 0; i < 6; i++) a[i] = m.At<double>(i / 3, i % 3);
        var output = new Mat();
        Cv2.WarpAffine(image, output, m, new Size(nw, nh), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        Point2f Map(float x, float y) => new((float)(a[0] * x + a[1] * y + a[2]), (float)(a[3] * x + a[4] * y + a[5]));
        var targets = known.Select((b, k) =>
        {
            var corners = new[] { Map(b.Left, b.Top), Map(b.Right, b.Top), Map(b.Right, b.Bottom), Map(b.Left, b.Bottom) };
            float x0 = corners.Min(p => p.X), x1 = corners.Max(p => p.X), y0 = corners.Min(p => p.Y), y1 = corners.Max(p => p.Y);
            return new Target(k, new Rect2f(x0, y0, x1 - x0, y1 - y0), Map(b.X + b.Width / 2, b.Y + b.Height / 2), (b.Width + b.Height) / 2);
        }).ToArray();
        return new Degraded(output, targets);
    }
}

/// <summary>The image scaled down (area interpolation) so that its largest known face is <c>side</c> pixels (mean
/// of box width and height), put in a 640x480 grey canvas: centred when it fits, else cut around that face.
/// Faces not wholly inside the canvas afterwards are left out; images whose largest face is already smaller
/// than <c>side</c> are left out.</summary>
sealed class SmallFace(int side) : Condition($"face {side} px", "small",
    $"scaled so the largest known face box is {side} px, in a 640x480 grey (128) canvas")
{
    public const int CanvasWidth = 640, CanvasHeight = 480;
    public int Side { get; } = side;

    public override Degraded? Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        if (known.Count == 0) return null;
        int largest = Enumerable.Range(0, known.Count).MaxBy(k => known[k].Width + known[k].Height);
        var reference = known[largest];
        double f = Side / ((reference.Width + reference.Height) / 2.0);
        if (f >= 1) return null;
        int sw = Math.Max(1, (int)Math.Round(image.Width * f)), sh = Math.Max(1, (int)Math.Round(image.Height * f));
        double fx = (double)sw / image.Width, fy = (double)sh / image.Height;
        using var scaled = new Mat();
        Cv2.Resize(image, scaled, new Size(sw, sh), 0, 0, InterpolationFlags.Area);
        // Offset of the scaled image in the canvas.
        int ox, oy;
        if (sw <= CanvasWidth && sh <= CanvasHeight) { ox = (CanvasWidth - sw) / 2; oy = (CanvasHeight - sh) / 2; }
        else
        {
            double cx = (reference.X + reference.Width / 2) * fx, cy = (reference.Y + reference.Height / 2) * fy;
            ox = sw <= CanvasWidth ? (CanvasWidth - sw) / 2 : (int)Math.Clamp(Math.Round(CanvasWidth / 2 - cx), CanvasWidth - sw, 0);
            oy = sh <= CanvasHeight ? (CanvasHeight - sh) / 2 : (int)Math.Clamp(Math.Round(CanvasHeight / 2 - cy), CanvasHeight - sh, 0);
        }
        var canvas = new Mat(CanvasHeight, CanvasWidth, MatType.CV_8UC3, Scalar.All(128));
        var src = new Rect(0, 0, sw, sh);
        var dst = new Rect(ox, oy, sw, sh) & new Rect(0, 0, CanvasWidth, CanvasHeight);
        using (var from = new Mat(scaled, new Rect(dst.X - ox, dst.Y - oy, dst.Width, dst.Height) & src))
        using (var to = new Mat(canvas, dst))
            from.CopyTo(to);
        var targets = new List<Target>();
        for (int k = 0; k < known.Count; k++)
        {
            var b = known[k];
            var t = new Rect2f((float)(b.X * fx + ox), (float)(b.Y * fy + oy), (float)(b.Width * fx), (float)(b.Height * fy));
            if (t.Left < 0 || t.Top < 0 || t.Right > CanvasWidth || t.Bottom > CanvasHeight) continue;
            targets.Add(Same(k, t));
        }
        return new Degraded(canvas, [.. targets]);
    }
}

/// <summary>Brightness multiplied by <c>factor</c> (saturating 8-bit).</summary>
sealed class Dark(double factor) : Condition($"dark x{factor}", "dark", $"every pixel value multiplied by {factor}")
{
    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        var output = new Mat();
        image.ConvertTo(output, MatType.CV_8UC3, factor, 0);
        return new Degraded(output, AllSame(known));
    }
}

sealed class Blur(double sigma) : Condition($"blur σ{sigma}", "blur", $"Gaussian blur, sigma {sigma} px at the original size")
{
    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        var output = new Mat();
        Cv2.GaussianBlur(image, output, new Size(0, 0), sigma);
        return new Degraded(output, AllSame(known));
    }
}

sealed class Jpeg(int quality) : Condition($"JPEG q{quality}", "jpeg", $"encoded as JPEG at quality {quality} (OpenCV/libjpeg) and decoded")
{
    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        Cv2.ImEncode(".jpg", image, out byte[] bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return new Degraded(Cv2.ImDecode(bytes, ImreadModes.Color), AllSame(known));
    }
}

/// <summary>A grey (128) rectangle over part of every known face box: the lower third (a mask over mouth and chin),
/// or the left half of the upper half (one eye).</summary>
sealed class Cover(bool lowerThird) : Condition(lowerThird ? "mask (lower third)" : "one eye covered", "cover",
    lowerThird ? "grey rectangle over the lower third of each known face box" : "grey rectangle over the left half of the upper half of each known face box")
{
    public override Degraded Apply(Mat image, IReadOnlyList<Rect2f> known)
    {
        var output = image.Clone();
        var frame = new Rect(0, 0, image.Width, image.Height);
        foreach (var b in known)
        {
            var r = lowerThird
                ? new Rect2f(b.X, b.Y + b.Height * 2 / 3, b.Width, b.Height / 3)
                : new Rect2f(b.X, b.Y, b.Width / 2, b.Height / 2);
            int x0 = (int)Math.Floor(r.Left), y0 = (int)Math.Floor(r.Top), x1 = (int)Math.Ceiling(r.Right), y1 = (int)Math.Ceiling(r.Bottom);
            var px = new Rect(x0, y0, x1 - x0, y1 - y0) & frame;
            if (px.Width > 0 && px.Height > 0) output.Rectangle(px, Scalar.All(128), -1);
        }
        return new Degraded(output, AllSame(known));
    }
}
