using OpenCvSharp;

namespace VideoFer.Data.Synthetic;

/// <summary>Colour arithmetic on OpenCV <see cref="Scalar"/> (BGR), clamped to 0..255.</summary>
internal static class Colors
{
    public static Scalar Scale(Scalar c, double k) =>
        new(Clamp(c.Val0 * k), Clamp(c.Val1 * k), Clamp(c.Val2 * k));

    /// <summary>a at t = 0, b at t = 1.</summary>
    public static Scalar Lerp(Scalar a, Scalar b, double t) =>
        new(Clamp(a.Val0 + (b.Val0 - a.Val0) * t), Clamp(a.Val1 + (b.Val1 - a.Val1) * t), Clamp(a.Val2 + (b.Val2 - a.Val2) * t));

    static double Clamp(double v) => Math.Clamp(v, 0, 255);
}
