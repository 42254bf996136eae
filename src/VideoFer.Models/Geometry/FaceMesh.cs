namespace VideoFer.Models.Geometry;

/// <summary>A point in image pixels: x to the right, y down, z (depth) in the same pixel scale as x, smaller
/// nearer the camera, relative to the face's own centre (MediaPipe's convention).</summary>
public readonly record struct Point3(float X, float Y, float Z);

/// <summary>An axis-aligned box in image pixels (top-left corner, width, height).</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float CenterX => X + Width / 2;
    public float CenterY => Y + Height / 2;
}

/// <summary>MediaPipe's 468 face landmarks for one face (<see cref="FaceMeshModel"/>).</summary>
/// <param name="Points">468 points in image pixels, in MediaPipe's canonical face-mesh order (index 1 nose tip,
/// 33/133 the outer/inner corners of the subject's right eye, 263/362 of the left, 13/14 the inner lips).</param>
/// <param name="Confidence">The network's face flag, 0..1: how sure it is that the crop holds a face
/// (Human drops meshes below its detector's minConfidence, 0.2).</param>
/// <param name="CropBox">The square image region the network saw (a face box enlarged and made square as
/// @vladmandic/human does).</param>
/// <param name="Raw">The network's output as it is: 468 x (x, y, z) in the 192x192 crop's pixels.</param>
public sealed record FaceMesh(Point3[] Points, float Confidence, FaceBox CropBox, float[] Raw)
{
    public const int PointCount = 468;

    /// <summary>Side of the square network input the raw coordinates refer to.</summary>
    public const int InputSize = 192;

    /// <summary>A raw crop coordinate (<see cref="Raw"/> units) in image pixels; z scaled as x.</summary>
    public Point3 ToImage(float x, float y, float z)
    {
        float sx = CropBox.Width / InputSize, sy = CropBox.Height / InputSize;
        return new Point3(CropBox.CenterX + sx * (x - InputSize / 2f), CropBox.CenterY + sy * (y - InputSize / 2f), sx * z);
    }
}

/// <summary>One eye as MediaPipe Iris sees it (<see cref="IrisModel"/>), in image pixels.</summary>
/// <param name="Center">The iris centre.</param>
/// <param name="Contour">Four points on the iris edge (the model's order: right, top, left, bottom in the eye crop
/// as the model saw it).</param>
/// <param name="EyeContour">The model's 71 eye points: eyelids (the first 16: lower lid 0-8 from the outer corner, upper
/// lid 9-15), then the outer eye region and the eyebrow, in the order of Human's irisIndices.</param>
/// <param name="EyeBox">The square image region the network saw.</param>
/// <param name="Raw">The network's 76 x (x, y, z) for this eye, in its 64x64 input's pixels (before un-mirroring the left eye).</param>
public sealed record EyeIris(Point3 Center, Point3[] Contour, Point3[] EyeContour, FaceBox EyeBox, float[] Raw);

/// <summary>Both irises of a face. Left and right are the subject's (the left eye is on the image's right in a
/// frontal, unmirrored picture).</summary>
public sealed record Iris(EyeIris Left, EyeIris Right);
