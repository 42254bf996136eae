namespace VideoFer.Data.Synthetic;

/// <summary>Where the parts of a face are, in face units, for a person and a shape. Shared by the
/// renderer (which draws them) and the landmark writer (which reports them), so the two agree.</summary>
internal static class FaceGeometry
{
    /// <summary>Inner end, arch control point and outer end of a brow's upper edge; side -1 is image-left.</summary>
    public static ((double X, double Y) Inner, (double X, double Y) Mid, (double X, double Y) Outer) Brow(FaceIdentity id, FaceShape s, int side)
    {
        double y = id.BrowY - s.BrowRaise;
        return ((side * 0.10, y - s.BrowSlant), (side * 0.30, y - 0.05 - 0.35 * s.BrowSlant), (side * 0.50, y + 0.02));
    }

    /// <summary>Eye centre and half axes; side -1 is image-left.</summary>
    public static (double Cx, double Cy, double Ax, double Ay) Eye(FaceIdentity id, FaceShape s, int side) =>
        (side * id.EyeSpacing, id.EyeY, 0.13 * id.EyeSize, 0.062 * id.EyeSize * s.EyeOpen);

    /// <summary>Iris radius.</summary>
    public static double Iris(FaceIdentity id) => 0.052 * id.EyeSize;

    /// <summary>The mouth sampled at n + 1 points from the image-left corner to the right one: the inner
    /// edges of the upper and lower lips, and the lower edge of the visible upper teeth.</summary>
    public static ((double X, double Y)[] Upper, (double X, double Y)[] Lower, (double X, double Y)[] TeethEdge) Mouth(FaceIdentity id, FaceShape s, int n)
    {
        var upper = new (double X, double Y)[n + 1];
        var lower = new (double X, double Y)[n + 1];
        var teeth = new (double X, double Y)[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double t = -1 + 2.0 * i / n, bulge = 1 - t * t;
            double x = t * s.MouthWidth;
            // Corners move with smile (both up) and asymmetry (one up, one down).
            double y = id.MouthY - s.MouthSmile * t * t - s.MouthAsym * t;
            double yu = y - s.MouthOpen * 0.45 * bulge - s.UpperLipRaise * Math.Max(0, 1 - (t - 0.3) * (t - 0.3));
            double yl = y + s.MouthOpen * 0.55 * bulge;
            upper[i] = (x, yu);
            lower[i] = (x, yl);
            teeth[i] = (x, yu + Math.Min(yl - yu, 0.075 * s.Teeth * Math.Sqrt(bulge)));
        }
        return (upper, lower, teeth);
    }

    /// <summary>Upper lip thickness and lower lip thickness at the centre.</summary>
    public const double UpperLip = 0.035, LowerLip = 0.055;
}
