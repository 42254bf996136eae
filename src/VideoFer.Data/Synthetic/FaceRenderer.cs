using System.Runtime.InteropServices;
using OpenCvSharp;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Draws a synthetic face crop (BGR, size x size) with OpenCV primitives: head, hair, ears,
/// brows, eyes, nose, mouth and expression lines, then an optional occluder, lighting, blur and noise.
/// <para>Geometry is computed in face units (1 = half the face height, origin at the face centre) and
/// mapped through the head pose, so one code path draws every pose. Drawing is anti-aliased with
/// sub-pixel coordinates so small changes in intensity change the pixels smoothly.</para></summary>
public sealed class FaceRenderer
{
    const int Shift = 4;              // sub-pixel bits for OpenCV drawing
    const double One = 1 << Shift;
    const int EllipsePoints = 40;

    static readonly Scalar Sclera = new(232, 236, 240);
    static readonly Scalar MouthInside = new(45, 35, 95);
    static readonly Scalar ToothWhite = new(225, 235, 240);
    static readonly Scalar Dark = new(30, 30, 40);

    readonly int _size;

    public FaceRenderer(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 32);
        _size = size;
    }

    public int Size => _size;

    /// <summary>The scene behind the person, fixed for a track (the camera does not move).</summary>
    public Mat RenderBackground(FaceIdentity id)
    {
        var mat = new Mat(_size, _size, MatType.CV_8UC3);
        for (int y = 0; y < _size; y++)
        {
            var c = Colors.Lerp(id.BackgroundTop, id.BackgroundBottom, y / (double)(_size - 1));
            Cv2.Line(mat, new Point(0, y), new Point(_size - 1, y), c, 1);
        }
        var rng = new SeededRandom(id.BackgroundSeed);
        for (int i = 0; i < id.BackgroundClutter; i++)
        {
            var color = new Scalar(rng.Uniform(0, 255), rng.Uniform(0, 255), rng.Uniform(0, 255));
            int x = rng.Next(_size), y = rng.Next(_size), w = rng.NextInclusive(_size / 10, _size / 3), h = rng.NextInclusive(_size / 10, _size / 2);
            if (rng.Chance(0.5))
                Cv2.Rectangle(mat, new Rect(x - w / 2, y - h / 2, w, h), color, -1, LineTypes.AntiAlias);
            else
                Cv2.Circle(mat, new Point(x, y), w / 2, color, -1, LineTypes.AntiAlias);
        }
        return mat;
    }

    /// <summary>Renders one frame. <paramref name="background"/> (from <see cref="RenderBackground"/>) is
    /// copied, not modified; <paramref name="noise"/> supplies the sensor noise (required when the scene has any).</summary>
    public Mat Render(FaceIdentity id, FrameScene scene, Mat? background = null, SeededRandom? noise = null)
    {
        using var bg = background == null ? RenderBackground(id) : null;
        var img = (background ?? bg!).Clone();
        var face = new FaceFrame(_size, scene.Pose);
        var s = scene.Shape.Clamped();

        DrawBody(img, face, id);
        DrawHead(img, face, id);
        DrawBrows(img, face, id, s);
        DrawEyes(img, face, id, s);
        DrawNose(img, face, id, s);
        DrawMouth(img, face, id, s);
        if (scene.Occluder is Occluder o)
            DrawOccluder(img, face, o);

        ApplyLighting(img, scene.Light);
        if (scene.BlurSigma > 0.05)
            Cv2.GaussianBlur(img, img, new Size(0, 0), scene.BlurSigma);
        if (scene.NoiseSigma > 0)
            AddNoise(img, scene.NoiseSigma, noise ?? throw new ArgumentNullException(nameof(noise), "A noisy scene needs a noise generator."));
        return img;
    }

    // ---- geometry --------------------------------------------------------------------------

    /// <summary>Maps face units to image pixels for one pose.</summary>
    internal readonly struct FaceFrame
    {
        readonly double _cx, _cy, _unit, _cos, _sin, _yaw;

        public FaceFrame(int size, HeadPose pose)
        {
            _unit = 0.42 * size * pose.Scale;
            _cx = size * (0.5 + pose.OffsetX);
            _cy = size * (0.53 + pose.OffsetY);
            double a = pose.Roll * Math.PI / 180;
            _cos = Math.Cos(a);
            _sin = Math.Sin(a);
            _yaw = Math.Clamp(pose.Yaw, -1, 1);
        }

        /// <summary>Pixels per face unit.</summary>
        public double Unit => _unit;

        /// <summary>Image position of a face point; inner features (eyes, nose, mouth) slide with yaw.</summary>
        public Point2d Map(double x, double y, bool feature = true)
        {
            if (feature)
                x = x * (1 - 0.2 * Math.Abs(_yaw)) + 0.16 * _yaw;
            return new Point2d(_cx + _unit * (x * _cos - y * _sin), _cy + _unit * (x * _sin + y * _cos));
        }

        /// <summary>Face point drawn at an image position: the inverse of <see cref="Map"/>.</summary>
        public (double X, double Y) Unmap(double px, double py, bool feature = true)
        {
            double dx = (px - _cx) / _unit, dy = (py - _cy) / _unit;
            double x = dx * _cos + dy * _sin, y = -dx * _sin + dy * _cos;
            if (feature)
                x = (x - 0.16 * _yaw) / (1 - 0.2 * Math.Abs(_yaw));
            return (x, y);
        }

        public Point Fixed(double x, double y, bool feature = true)
        {
            var p = Map(x, y, feature);
            return new Point((int)Math.Round(p.X * One), (int)Math.Round(p.Y * One));
        }

        public int Thickness(double faceUnits) => Math.Max(1, (int)Math.Round(faceUnits * _unit));
    }

    static IEnumerable<(double X, double Y)> EllipseArc(double cx, double cy, double ax, double ay, double fromDeg, double toDeg, int n = EllipsePoints)
    {
        for (int i = 0; i <= n; i++)
        {
            double t = (fromDeg + (toDeg - fromDeg) * i / n) * Math.PI / 180;
            yield return (cx + ax * Math.Cos(t), cy + ay * Math.Sin(t));
        }
    }

    static void Fill(Mat img, FaceFrame f, IEnumerable<(double X, double Y)> pts, Scalar color, bool feature = true) =>
        Cv2.FillPoly(img, [pts.Select(p => f.Fixed(p.X, p.Y, feature)).ToArray()], color, LineTypes.AntiAlias, Shift);

    static void Stroke(Mat img, FaceFrame f, IEnumerable<(double X, double Y)> pts, Scalar color, double thickness, bool closed = false, bool feature = true) =>
        Cv2.Polylines(img, [pts.Select(p => f.Fixed(p.X, p.Y, feature)).ToArray()], closed, color, f.Thickness(thickness), LineTypes.AntiAlias, Shift);

    // ---- parts -----------------------------------------------------------------------------

    static void DrawBody(Mat img, FaceFrame f, FaceIdentity id)
    {
        Fill(img, f, EllipseArc(0, 1.85, 1.5, 0.65, 180, 360), id.Shirt, feature: false);
        Fill(img, f, [(-0.36, 0.5), (0.36, 0.5), (0.42, 1.4), (-0.42, 1.4)], Colors.Scale(id.Skin, 0.85), feature: false);
        Fill(img, f, EllipseArc(0, 1.25, 1.5, 0.5, 180, 360), id.Shirt, feature: false);
    }

    static void DrawHead(Mat img, FaceFrame f, FaceIdentity id)
    {
        double w = id.FaceWidth, v = id.HairVolume;
        Fill(img, f, EllipseArc(0, -0.1, w + 0.06 + v, 0.98 + v * 0.5, 0, 360), id.Hair, feature: false);
        foreach (int side in new[] { -1, 1 })
            Fill(img, f, EllipseArc(side * w * 0.97, -0.02, 0.09, 0.17, 0, 360), Colors.Scale(id.Skin, 0.9), feature: false);
        Fill(img, f, EllipseArc(0, 0, w, 1, 0, 360), id.Skin, feature: false);
        // Fringe: the top of the head above a wavy hairline.
        var fringe = EllipseArc(0, 0, w + 0.01, 1.01, 190, 350).ToList();
        for (int i = 0; i <= 12; i++)
        {
            double x = w * 0.95 * (1 - 2.0 * i / 12);
            fringe.Add((x, -0.64 - 0.04 * Math.Cos(i * 1.3) + 0.1 * x * x));
        }
        Fill(img, f, fringe, id.Hair, feature: false);
    }

    static void DrawBrows(Mat img, FaceFrame f, FaceIdentity id, FaceShape s)
    {
        // Brows are always clearly darker than skin, even for fair hair: they carry half the expression.
        var color = Colors.Lerp(Colors.Scale(id.Hair, 0.6), Dark, 0.45);
        foreach (int side in new[] { -1, 1 })
        {
            var (inner, mid, outer) = FaceGeometry.Brow(id, s, side);
            var top = Quadratic(inner, mid, outer, 10).ToList();
            var bottom = Quadratic(outer, mid, inner, 10)
                .Select((p, i) => (p.X, p.Y + id.BrowThickness * (0.6 + 0.4 * Math.Sin(Math.PI * i / 10))));
            Fill(img, f, top.Concat(bottom), color);
        }
    }

    static IEnumerable<(double X, double Y)> Quadratic((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, int n)
    {
        for (int i = 0; i <= n; i++)
        {
            double t = i / (double)n, u = 1 - t;
            yield return (u * u * a.X + 2 * u * t * b.X + t * t * c.X, u * u * a.Y + 2 * u * t * b.Y + t * t * c.Y);
        }
    }

    static void DrawEyes(Mat img, FaceFrame f, FaceIdentity id, FaceShape s)
    {
        double irisR = FaceGeometry.Iris(id);
        var lid = Colors.Scale(id.Skin, 0.45);
        foreach (int side in new[] { -1, 1 })
        {
            var (cx, cy, ax, ay) = FaceGeometry.Eye(id, s, side);
            if (ay < 0.008)
            {
                // Closed (blink or tight squint): just the lid line.
                Stroke(img, f, EllipseArc(cx, cy - 0.01, ax, 0.02, 0, 180), lid, 0.025);
                continue;
            }
            Fill(img, f, EllipseArc(cx, cy, ax, ay, 0, 360), Sclera);
            // The iris is a circle cut by the lids: clamp each point to the eye opening.
            var iris = EllipseArc(cx, cy, irisR, irisR, 0, 360, 24).Select(p =>
            {
                double dx = (p.X - cx) / ax;
                double lim = ay * Math.Sqrt(Math.Max(0, 1 - dx * dx));
                return (p.X, Math.Clamp(p.Y, cy - lim, cy + lim));
            });
            Fill(img, f, iris, id.Iris);
            if (ay > irisR * 0.5)
                Fill(img, f, EllipseArc(cx, cy, irisR * 0.45, Math.Min(irisR * 0.45, ay * 0.8), 0, 360, 16), Dark);
            Stroke(img, f, EllipseArc(cx, cy, ax, ay, 180, 360), lid, 0.03);
            Stroke(img, f, EllipseArc(cx, cy, ax, ay, 0, 180), Colors.Scale(id.Skin, 0.75), 0.012);
            if (id.Glasses)
                Stroke(img, f, EllipseArc(cx, cy, 0.19, 0.14, 0, 360), Dark, 0.02, closed: true);
        }
        if (id.Glasses)
            Stroke(img, f, [(-id.EyeSpacing + 0.19, id.EyeY - 0.02), (id.EyeSpacing - 0.19, id.EyeY - 0.02)], Dark, 0.02);
    }

    static void DrawNose(Mat img, FaceFrame f, FaceIdentity id, FaceShape s)
    {
        var shade = Colors.Scale(id.Skin, 0.7);
        Stroke(img, f, [(0.0, -0.10), (0.03, 0.1), (0.02, 0.20)], shade, 0.018);
        Stroke(img, f, EllipseArc(0, 0.21, 0.09, 0.045, 20, 160), shade, 0.022);

        var crease = Colors.Lerp(id.Skin, Dark, 0.8);
        if (s.NoseWrinkle > 0.02)
        {
            var c = Colors.Lerp(id.Skin, crease, s.NoseWrinkle);
            for (int i = 0; i < 3; i++)
                Stroke(img, f, EllipseArc(0, -0.03 + 0.055 * i, 0.085, 0.02, 200, 340, 10), c, 0.018);
        }
        if (s.Furrow > 0.02)
        {
            var c = Colors.Lerp(id.Skin, crease, s.Furrow);
            double y = id.BrowY - s.BrowRaise;
            foreach (int side in new[] { -1, 1 })
                Stroke(img, f, [(side * 0.045, y - 0.04), (side * 0.035, y + 0.12)], c, 0.02);
        }
        if (s.CheekRaise > 0.02)
        {
            var c = Colors.Lerp(id.Skin, crease, 0.8 * s.CheekRaise);
            foreach (int side in new[] { -1, 1 })
                Stroke(img, f, Quadratic((side * 0.13, 0.16), (side * (s.MouthWidth + 0.12), id.MouthY - 0.1),
                    (side * (s.MouthWidth + 0.07), id.MouthY + 0.05 - s.MouthSmile * 0.6), 10), c, 0.022);
        }
    }

    static void DrawMouth(Mat img, FaceFrame f, FaceIdentity id, FaceShape s)
    {
        const int n = 24;
        var (upper, lower, teethEdge) = FaceGeometry.Mouth(id, s, n);
        if (s.MouthOpen + s.UpperLipRaise > 0.01)
        {
            Fill(img, f, upper.Concat(lower.Reverse()), MouthInside);
            if (s.Teeth > 0.05)
                Fill(img, f, upper.Concat(teethEdge.Reverse()), Colors.Lerp(MouthInside, ToothWhite, s.Teeth));
        }
        // Lips: a band above the upper edge and a fuller one below the lower edge.
        var upperLip = upper.Select((p, i) => (p.X, p.Y - FaceGeometry.UpperLip * Bulge(i, n))).Reverse();
        var lowerLip = lower.Select((p, i) => (p.X, p.Y + FaceGeometry.LowerLip * Bulge(i, n))).Reverse();
        Fill(img, f, upper.Concat(upperLip), id.Lips);
        Fill(img, f, lower.Concat(lowerLip), id.Lips);
        Stroke(img, f, upper, Colors.Lerp(id.Lips, Dark, 0.6), 0.015);
        if (s.MouthOpen > 0.01)
            Stroke(img, f, lower, Colors.Lerp(id.Lips, Dark, 0.6), 0.012);
    }

    static double Bulge(int i, int n)
    {
        double t = -1 + 2.0 * i / n;
        return Math.Sqrt(Math.Max(0, 1 - t * t));
    }

    static void DrawOccluder(Mat img, FaceFrame f, Occluder o)
    {
        double a = o.Angle * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        IEnumerable<(double X, double Y)> Rotated(IEnumerable<(double X, double Y)> pts) =>
            pts.Select(p => (o.X + p.X * c - p.Y * s, o.Y + p.X * s + p.Y * c));

        switch (o.Kind)
        {
            case OccluderKind.Bar:
                Fill(img, f, Rotated([(-o.Width, -o.Height), (o.Width, -o.Height), (o.Width, o.Height), (-o.Width, o.Height)]), o.Color, feature: false);
                break;
            case OccluderKind.Blob:
                Fill(img, f, Rotated(EllipseArc(0, 0, o.Width, o.Height, 0, 360)), o.Color, feature: false);
                break;
            default:
                // A hand: palm plus four fingers, with dark gaps between them.
                Fill(img, f, Rotated(EllipseArc(0, o.Height * 0.35, o.Width * 0.8, o.Height * 0.65, 0, 360)), o.Color, feature: false);
                for (int k = 0; k < 4; k++)
                {
                    double fx = o.Width * (-0.6 + 0.4 * k);
                    Fill(img, f, Rotated(EllipseArc(fx, -o.Height * 0.25, o.Width * 0.19, o.Height * 0.6, 0, 360, 16)), o.Color, feature: false);
                    Stroke(img, f, Rotated([(fx + o.Width * 0.2, -o.Height * 0.7), (fx + o.Width * 0.2, o.Height * 0.1)]), Colors.Scale(o.Color, 0.7), 0.01, feature: false);
                }
                break;
        }
    }

    // ---- photometry ------------------------------------------------------------------------

    static void ApplyLighting(Mat img, Lighting light)
    {
        if (light == Lighting.Even) return;
        int size = img.Rows;
        var buf = Pixels(img);
        double warmB = 1 - 0.12 * light.Warmth, warmR = 1 + 0.12 * light.Warmth;
        for (int y = 0; y < size; y++)
        {
            double gy = light.GradientY * (y / (double)(size - 1) - 0.5);
            int row = y * size * 3;
            for (int x = 0; x < size; x++)
            {
                double k = light.Gain * (1 + light.GradientX * (x / (double)(size - 1) - 0.5) + gy);
                int i = row + 3 * x;
                buf[i] = ToByte(buf[i] * k * warmB);
                buf[i + 1] = ToByte(buf[i + 1] * k);
                buf[i + 2] = ToByte(buf[i + 2] * k * warmR);
            }
        }
        Marshal.Copy(buf, 0, img.Data, buf.Length);
    }

    static void AddNoise(Mat img, double sigma, SeededRandom rng)
    {
        var buf = Pixels(img);
        for (int i = 0; i < buf.Length; i++)
            buf[i] = ToByte(buf[i] + sigma * rng.NextApproxGaussian());
        Marshal.Copy(buf, 0, img.Data, buf.Length);
    }

    static byte[] Pixels(Mat img)
    {
        if (!img.IsContinuous()) throw new InvalidOperationException("Expected a continuous image.");
        var buf = new byte[img.Rows * img.Cols * img.Channels()];
        Marshal.Copy(img.Data, buf, 0, buf.Length);
        return buf;
    }

    static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}
