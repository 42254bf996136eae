using OpenCvSharp;

namespace VideoFer.Data.Synthetic;

/// <summary>The 68 facial landmarks (iBUG 300-W order, as AffectNet lists them) and the face box
/// of a drawn face, in image pixels, for the AffectNet-style annotation list.</summary>
public static class FaceLandmarks
{
    /// <summary>68 points: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, outer lips 48-59, inner lips 60-67.</summary>
    public static Point2d[] Compute(FaceIdentity id, FaceShape shape, HeadPose pose, int size)
    {
        var f = new FaceRenderer.FaceFrame(size, pose);
        var s = shape.Clamped();
        var pts = new List<Point2d>(68);

        // Jaw: along the lower half of the head outline, image-left to image-right.
        for (int i = 0; i <= 16; i++)
        {
            double a = (190 - 200.0 * i / 16) * Math.PI / 180; // from just above the left ear, under the chin, to the right
            pts.Add(f.Map(id.FaceWidth * Math.Cos(a), Math.Sin(a), feature: false));
        }
        // Brows: image-left brow outer to inner, then image-right brow inner to outer.
        foreach (int side in new[] { -1, 1 })
        {
            var (inner, mid, outer) = FaceGeometry.Brow(id, s, side);
            for (int k = 0; k < 5; k++)
            {
                double t = side < 0 ? 1 - k / 4.0 : k / 4.0, u = 1 - t; // t = 0 at the inner end
                double x = u * u * inner.X + 2 * u * t * mid.X + t * t * outer.X;
                double y = u * u * inner.Y + 2 * u * t * mid.Y + t * t * outer.Y;
                pts.Add(f.Map(x, y + id.BrowThickness * 0.5));
            }
        }
        // Nose bridge (4) and lower nose (5).
        for (int k = 0; k < 4; k++) pts.Add(f.Map(0.01 * k, -0.10 + 0.09 * k));
        for (int k = 0; k < 5; k++) pts.Add(f.Map(-0.09 + 0.045 * k, 0.22 + 0.02 * (2 - Math.Abs(k - 2)) / 2.0));
        // Eyes: outer corner, two upper, inner corner, two lower (image-left eye), then the mirrored order.
        foreach (int side in new[] { -1, 1 })
        {
            var (cx, cy, ax, ay) = FaceGeometry.Eye(id, s, side);
            // Angles go clockwise on screen from the image-left corner (outer for the left eye, inner for the right).
            foreach (double deg in new double[] { 180, 240, 300, 0, 60, 120 })
            {
                double a = deg * Math.PI / 180;
                pts.Add(f.Map(cx + ax * Math.Cos(a), cy + ay * Math.Sin(a)));
            }
        }
        // Lips.
        const int n = 12;
        var (upper, lower, _) = FaceGeometry.Mouth(id, s, n);
        double Lip(int i) => Math.Sqrt(Math.Max(0, 1 - Math.Pow(-1 + 2.0 * i / n, 2)));
        for (int i = 0; i <= n; i += 2) pts.Add(f.Map(upper[i].X, upper[i].Y - FaceGeometry.UpperLip * Lip(i)));  // 48-54
        for (int i = n - 2; i >= 2; i -= 2) pts.Add(f.Map(lower[i].X, lower[i].Y + FaceGeometry.LowerLip * Lip(i))); // 55-59
        pts.Add(f.Map(upper[0].X, upper[0].Y));                                                                     // 60
        foreach (int i in new[] { 3, 6, 9 }) pts.Add(f.Map(upper[i].X, upper[i].Y));                               // 61-63
        pts.Add(f.Map(upper[n].X, upper[n].Y));                                                                     // 64
        foreach (int i in new[] { 9, 6, 3 }) pts.Add(f.Map(lower[i].X, lower[i].Y));                               // 65-67
        return pts.ToArray();
    }

    /// <summary>Bounding box of the head outline (left, top, width, height), clipped to the image.</summary>
    public static Rect FaceBox(FaceIdentity id, HeadPose pose, int size)
    {
        var f = new FaceRenderer.FaceFrame(size, pose);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (int deg = 0; deg < 360; deg += 5)
        {
            double a = deg * Math.PI / 180;
            var p = f.Map(id.FaceWidth * Math.Cos(a), Math.Sin(a), feature: false);
            minX = Math.Min(minX, p.X); maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y); maxY = Math.Max(maxY, p.Y);
        }
        int x0 = Math.Clamp((int)Math.Floor(minX), 0, size - 1), y0 = Math.Clamp((int)Math.Floor(minY), 0, size - 1);
        int x1 = Math.Clamp((int)Math.Ceiling(maxX), x0 + 1, size), y1 = Math.Clamp((int)Math.Ceiling(maxY), y0 + 1, size);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }
}
