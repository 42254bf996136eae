using OpenCvSharp;

namespace VideoFer.Vision.Faces.Alignment;

/// <summary>Canonical positions of the eyes, nose tip and mouth centre in a square crop, as fractions
/// of its side. One template for every frame, so a face stays put in its crops over time. The ear
/// points are not used: they are guessed, not seen, whenever the head turns.</summary>
/// <remarks>Proportions follow a frontal face: eyes 0.30 apart, nose 0.57 and mouth 1.16 inter-ocular
/// distances below the eyes (as in the usual 5-point face-recognition template), with more margin
/// around the face than recognition crops so brows, jaw and forehead, which carry expression, stay in.</remarks>
public sealed record FaceTemplate(Point2f RightEye, Point2f LeftEye, Point2f NoseTip, Point2f MouthCenter)
{
    /// <summary>The project's template (the person's right eye on the crop's left).</summary>
    public static FaceTemplate Default { get; } = new(
        RightEye: new Point2f(0.35f, 0.40f),
        LeftEye: new Point2f(0.65f, 0.40f),
        NoseTip: new Point2f(0.50f, 0.571f),
        MouthCenter: new Point2f(0.50f, 0.748f));

    /// <summary>The keypoints used, in the order of <see cref="Points"/>.</summary>
    public static readonly FaceKeypoint[] Keypoints =
        [FaceKeypoint.RightEye, FaceKeypoint.LeftEye, FaceKeypoint.NoseTip, FaceKeypoint.MouthCenter];

    /// <summary>Template points in pixels of a crop of side <paramref name="size"/>.</summary>
    public Point2f[] Points(int size) =>
        new[] { RightEye, LeftEye, NoseTip, MouthCenter }.Select(p => new Point2f(p.X * size, p.Y * size)).ToArray();
}
