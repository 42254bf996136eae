using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Alignment;

namespace VideoFer.Inference.People;

/// <summary>The face picture the identity embedding sees: the face turned upright and scaled by its eyes, nose
/// and mouth (<see cref="FaceAligner"/>), with more margin than the expression crops, as the loose, whole-head
/// crops of VGGFace2 that FaceRes was trained on (the choice was measured, docs/FACES.md).</summary>
public static class IdentityCrop
{
    /// <summary>Side of the crop (FaceRes's input, so its resize is an identity).</summary>
    public const int Side = 224;

    /// <summary>The expression template shrunk about its centre: eyes 0.21 of the side apart instead of 0.30.</summary>
    public static readonly FaceTemplate Template = Shrink(FaceTemplate.Default, 0.7f);

    static readonly FaceAligner Aligner = new(Template);

    /// <summary>The crop of <paramref name="face"/> in a BGR frame, as a contiguous BGR <see cref="FaceCrop"/>.</summary>
    public static FaceCrop Cut(Mat bgrFrame, FaceDetection face)
    {
        using var crop = Aligner.Align(bgrFrame, face, Side);
        var bytes = new byte[Side * Side * 3];
        using var continuous = crop.IsContinuous() ? null : crop.Clone();
        System.Runtime.InteropServices.Marshal.Copy((continuous ?? crop).Data, bytes, 0, bytes.Length);
        return new FaceCrop(bytes, Side, Side, ChannelOrder.Bgr);
    }

    /// <summary>A template scaled by <paramref name="factor"/> about the crop centre (below 1: more margin).</summary>
    public static FaceTemplate Shrink(FaceTemplate t, float factor)
    {
        Point2f S(Point2f p) => new(0.5f + (p.X - 0.5f) * factor, 0.5f + (p.Y - 0.5f) * factor);
        return new FaceTemplate(S(t.RightEye), S(t.LeftEye), S(t.NoseTip), S(t.MouthCenter));
    }

    /// <summary>How well a face can describe its person, in [0, 1]: the detector's confidence times how frontal
    /// it is times its size up to 112 pixels.</summary>
    public static float Quality(FaceDetection face) =>
        face.Score * Frontality(face) * Math.Min(1f, Math.Min(face.Box.Width, face.Box.Height) / 112f);

    /// <summary>1 for a face looking at the camera, 0 for a profile: the nose tip's offset from the eyes' midpoint
    /// along the eye line, in eye distances (0 frontal, 0.5 and more in profile), mapped to 1 - 2 * offset.</summary>
    public static float Frontality(FaceDetection face)
    {
        var right = face[FaceKeypoint.RightEye];
        var left = face[FaceKeypoint.LeftEye];
        var nose = face[FaceKeypoint.NoseTip];
        float eyes = MathF.Sqrt((left.X - right.X) * (left.X - right.X) + (left.Y - right.Y) * (left.Y - right.Y));
        if (eyes < 1e-3f) return 0;
        // The nose's offset from the eyes' midpoint along the eye line, in eye distances: 0 frontal, 0.5 profile.
        float along = ((nose.X - (left.X + right.X) / 2) * (left.X - right.X) + (nose.Y - (left.Y + right.Y) / 2) * (left.Y - right.Y)) / (eyes * eyes);
        return Math.Clamp(1 - 2 * MathF.Abs(along), 0, 1);
    }
}
