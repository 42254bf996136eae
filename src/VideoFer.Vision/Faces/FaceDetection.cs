using OpenCvSharp;

namespace VideoFer.Vision.Faces;

/// <summary>One detected face in image pixel coordinates: box, six keypoints
/// (indexed by <see cref="FaceKeypoint"/>) and a confidence in [0, 1].</summary>
public sealed record FaceDetection(Rect2f Box, Point2f[] Keypoints, float Score)
{
    public const int KeypointCount = 6;

    public Point2f this[FaceKeypoint k] => Keypoints[(int)k];

    /// <summary>Geometric size of the face, the mean of box width and height.</summary>
    public float Size => (Box.Width + Box.Height) / 2;

    public Point2f Center => new(Box.X + Box.Width / 2, Box.Y + Box.Height / 2);

    /// <summary>Intersection over union of two boxes (0 when they do not overlap).</summary>
    public static float IoU(Rect2f a, Rect2f b)
    {
        float x1 = Math.Max(a.Left, b.Left), y1 = Math.Max(a.Top, b.Top);
        float x2 = Math.Min(a.Right, b.Right), y2 = Math.Min(a.Bottom, b.Bottom);
        float inter = Math.Max(0, x2 - x1) * Math.Max(0, y2 - y1);
        float union = a.Width * a.Height + b.Width * b.Height - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>The same face with box and keypoints mapped by x' = x*scale + dx, y' = y*scale + dy.</summary>
    public FaceDetection Transform(float scale, float dx, float dy) => new(
        new Rect2f(Box.X * scale + dx, Box.Y * scale + dy, Box.Width * scale, Box.Height * scale),
        Keypoints.Select(p => new Point2f(p.X * scale + dx, p.Y * scale + dy)).ToArray(),
        Score);
}
