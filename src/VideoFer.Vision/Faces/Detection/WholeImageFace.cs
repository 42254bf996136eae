using OpenCvSharp;
using VideoFer.Vision.Faces.Alignment;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>No detection: every image is one face, for inputs that are face crops already (AffectNet, RAF-DB
/// and FER2013 exports, Aff-Wild2's cropped_aligned frames, prepare's output). The face is the image's centred
/// square (side: its longer side, black beyond a non-square image's edges), with the keypoints where the
/// alignment template puts them, so that an aligned crop is that square resized and the default model's
/// 1.4x box square (<see cref="ModelSquareEnlargement"/>) is that same square.</summary>
public sealed class WholeImageFace : IFaceDetector
{
    /// <summary>How much larger than the face box the expression models' own square crop is (Human's 1.4).</summary>
    public const float ModelSquareEnlargement = 1.4f;

    public IReadOnlyList<FaceDetection> Detect(Mat bgrImage)
    {
        if (bgrImage.Empty()) return [];
        return [For(bgrImage.Width, bgrImage.Height)];
    }

    /// <summary>The face of a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public static FaceDetection For(int width, int height)
    {
        float side = Math.Max(width, height);
        float x0 = (width - side) / 2, y0 = (height - side) / 2;
        float box = side / ModelSquareEnlargement, margin = (side - box) / 2;
        var points = FaceTemplate.Default.Points(1).Select(p => new Point2f(x0 + p.X * side, y0 + p.Y * side)).ToArray();
        var keypoints = new Point2f[FaceDetection.KeypointCount];
        for (int i = 0; i < FaceTemplate.Keypoints.Length; i++) keypoints[(int)FaceTemplate.Keypoints[i]] = points[i];
        // The ears, which alignment does not use: level with the eyes at the square's edges.
        keypoints[(int)FaceKeypoint.RightEarTragion] = new Point2f(x0, points[0].Y);
        keypoints[(int)FaceKeypoint.LeftEarTragion] = new Point2f(x0 + side, points[1].Y);
        return new FaceDetection(new Rect2f(x0 + margin, y0 + margin, box, box), keypoints, 1f);
    }

    public void Dispose() { }
}
