using OpenCvSharp;

namespace VideoFer.Vision.Faces.Alignment;

/// <summary>Warps a detected face onto <see cref="FaceTemplate"/> with a similarity transform (rotation,
/// uniform scale, translation) fitted by least squares to the eye, nose and mouth keypoints.</summary>
public sealed class FaceAligner
{
    public FaceAligner(FaceTemplate? template = null) => Template = template ?? FaceTemplate.Default;

    public FaceTemplate Template { get; }

    /// <summary>The 2x3 matrix (CV_64F) taking image pixels to crop pixels for a crop of side <paramref name="size"/>.</summary>
    public Mat Transform(FaceDetection face, int size)
    {
        var source = FaceTemplate.Keypoints.Select(k => face[k]).ToArray();
        var target = Template.Points(size);
        using var from = Mat.FromArray(source);
        using var to = Mat.FromArray(target);
        // A threshold larger than the crop makes every point an inlier, so the final refinement is a
        // plain least-squares fit over all four points (RANSAC only seeds it).
        var m = Cv2.EstimateAffinePartial2D(from, to, null, RobustEstimationAlgorithms.RANSAC, 10.0 * size, 2000, 0.99, 20);
        if (m is null || m.Empty())
        {
            m?.Dispose();
            m = FromEyes(face[FaceKeypoint.RightEye], face[FaceKeypoint.LeftEye], target[0], target[1]);
        }
        return m;
    }

    /// <summary>The aligned crop, side <paramref name="size"/>; outside the frame is black, as in Aff-Wild2.</summary>
    public Mat Align(Mat bgrImage, FaceDetection face, int size)
    {
        using var m = Transform(face, size);
        var crop = new Mat();
        Cv2.WarpAffine(bgrImage, crop, m, new Size(size, size), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return crop;
    }

    /// <summary>Where image point <paramref name="p"/> lands in the crop under <paramref name="transform"/>.</summary>
    public static Point2f Apply(Mat transform, Point2f p) => new(
        (float)(transform.At<double>(0, 0) * p.X + transform.At<double>(0, 1) * p.Y + transform.At<double>(0, 2)),
        (float)(transform.At<double>(1, 0) * p.X + transform.At<double>(1, 1) * p.Y + transform.At<double>(1, 2)));

    /// <summary>Fallback when the fit fails (all keypoints on one spot): the similarity that maps
    /// the two eyes exactly, or a plain translation when they coincide.</summary>
    static Mat FromEyes(Point2f a, Point2f b, Point2f ta, Point2f tb)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, tdx = tb.X - ta.X, tdy = tb.Y - ta.Y;
        double d2 = dx * dx + dy * dy;
        double c = d2 > 1e-9 ? (dx * tdx + dy * tdy) / d2 : 1, s = d2 > 1e-9 ? (dx * tdy - dy * tdx) / d2 : 0;
        var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, c); m.Set(0, 1, -s); m.Set(0, 2, ta.X - (c * a.X - s * a.Y));
        m.Set(1, 0, s); m.Set(1, 1, c); m.Set(1, 2, ta.Y - (s * a.X + c * a.Y));
        return m;
    }
}
