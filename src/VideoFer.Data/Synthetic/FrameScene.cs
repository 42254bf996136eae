namespace VideoFer.Data.Synthetic;

/// <summary>Head placement in the crop: offsets as a fraction of the image size, roll in degrees,
/// yaw in -1..1 (features slide sideways and the far side narrows, a cheap stand-in for 3-D turning).</summary>
public readonly record struct HeadPose(double OffsetX, double OffsetY, double Scale, double Roll, double Yaw)
{
    public static readonly HeadPose Frontal = new(0, 0, 1, 0, 0);
}

/// <summary>Illumination of one frame: overall gain, a linear ramp across the image (light from one
/// side) and a colour cast (&gt; 0 warmer, &lt; 0 cooler).</summary>
public readonly record struct Lighting(double Gain, double GradientX, double GradientY, double Warmth)
{
    public static readonly Lighting Even = new(1, 0, 0, 0);
}

/// <summary>Kinds of objects that cover part of the face.</summary>
public enum OccluderKind { Hand, Bar, Blob }

/// <summary>Something in front of the face. Centre and size are in face units (see <see cref="FaceShape"/>).</summary>
public readonly record struct Occluder(OccluderKind Kind, double X, double Y, double Width, double Height, double Angle, OpenCvSharp.Scalar Color);

/// <summary>Everything that varies from frame to frame: the face, its pose, the light, occlusion and
/// camera degradations. Together with a <see cref="FaceIdentity"/> it fully determines the image.</summary>
public sealed record FrameScene(
    FaceShape Shape,
    HeadPose Pose,
    Lighting Light,
    Occluder? Occluder = null,
    double BlurSigma = 0,
    double NoiseSigma = 0)
{
    /// <summary>A frontal, evenly lit, clean frame of a shape (what the tests use to look at one expression).</summary>
    public static FrameScene Clean(FaceShape shape) => new(shape, HeadPose.Frontal, Lighting.Even);
}
