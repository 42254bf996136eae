using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Inference.Predictors;

/// <summary>The square the per-frame expression models read, as their publishers cut it (Human, face-api): the
/// detector's box enlarged 1.4 times around its centre, its longer side made the square's side; parts outside
/// the frame are black. The square is turned upright by the eyes: a face rolled in the image (a head tilted, a
/// video filmed sideways) reaches the model with its eyes level, as the models were trained.</summary>
public static class FaceSquare
{
    public const float BoxEnlargement = 1.4f;

    /// <summary>The upright square of <paramref name="detection"/> in <paramref name="frame"/>, its side
    /// <paramref name="margin"/> times the box's longer side, resized to <paramref name="side"/> pixels (one bilinear
    /// warp: crop, padding, rotation and resize).</summary>
    public static Mat Cut(Mat frame, FaceDetection detection, int side, float margin = BoxEnlargement)
    {
        var box = detection.Box;
        float extent = Math.Max(box.Width, box.Height) * margin;
        double cx = box.X + box.Width / 2.0, cy = box.Y + box.Height / 2.0;
        double scale = side / extent, angle = BlazeFaceDetector.Roll(detection) * Math.PI / 180;
        double c = scale * Math.Cos(angle), s = scale * Math.Sin(angle);
        // crop pixel = R(-roll) * scale * (p - centre) + side / 2
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, c); m.Set(0, 1, s); m.Set(0, 2, side / 2.0 - (c * cx + s * cy));
        m.Set(1, 0, -s); m.Set(1, 1, c); m.Set(1, 2, side / 2.0 - (-s * cx + c * cy));
        var result = new Mat();
        Cv2.WarpAffine(frame, result, m, new Size(side, side), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
        return result.IsContinuous() ? result : result.Clone();
    }
}
