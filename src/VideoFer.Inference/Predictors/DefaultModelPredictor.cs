using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.Predictors;

/// <summary>The embedded default: the FER2013-trained Xception-style network of @vladmandic/human,
/// run per frame. Its publisher feeds it a square crop of the detector's box enlarged 1.4 times and
/// resized to 256x256 (docs/DEFAULT_MODEL.md); this predictor cuts exactly that from the frame.</summary>
public sealed class DefaultModelPredictor : IExpressionPredictor
{
    public const float BoxEnlargement = 1.4f;
    public const int CropSide = 256;
    readonly EmotionModel _model;

    public DefaultModelPredictor(string? modelPath = null)
    {
        _model = EmotionModel.Load(modelPath);
    }

    public string Description => $"default model: {Path.GetFileName(_model.Path)} from @vladmandic/human (FER2013, 7 classes, per frame)";
    public IReadOnlyList<string> ClassNames => ExpressionClasses.Seven; // FER2013's 7, mapped to ABAW order

    /// <summary>None: this model cuts its own square from the frame image, not an aligned face.</summary>
    public IReadOnlyList<int> CropSizes => [];
    public bool NeedsFrameImage => true;

    public IReadOnlyList<PredictionRecord> Add(FrameFaces frame)
    {
        if (frame.Faces.Count == 0) return [];
        var image = frame.Image ?? throw new InvalidOperationException("the default model needs the frame image");
        var crops = new List<FaceCrop>(frame.Faces.Count);
        foreach (var face in frame.Faces)
        {
            using var crop = CutSquare(image, face.Detection);
            var bytes = new byte[CropSide * CropSide * 3];
            System.Runtime.InteropServices.Marshal.Copy(crop.Data, bytes, 0, bytes.Length);
            crops.Add(new FaceCrop(bytes, CropSide, CropSide, ChannelOrder.Bgr));
        }
        var probabilities = _model.Predict(crops);
        return frame.Faces.Select((f, i) => PredictionRecord.Of(frame, f, probabilities[i])).ToList();
    }

    public IReadOnlyList<PredictionRecord> Finish() => [];

    /// <summary>A square around the box centre, side 1.4 x the longer box side; parts outside the frame are black.</summary>
    internal static Mat CutSquare(Mat frame, FaceDetection detection)
    {
        var box = detection.Box;
        float side = Math.Max(box.Width, box.Height) * BoxEnlargement;
        float cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;
        float scale = CropSide / side;
        // An affine warp does crop, out-of-frame padding and resize in one bilinear step.
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, (double)scale); m.Set(0, 1, 0.0); m.Set(0, 2, (double)(CropSide / 2f - cx * scale));
        m.Set(1, 0, 0.0); m.Set(1, 1, (double)scale); m.Set(1, 2, (double)(CropSide / 2f - cy * scale));
        var result = new Mat();
        Cv2.WarpAffine(frame, result, m, new Size(CropSide, CropSide), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
        return result.IsContinuous() ? result : result.Clone();
    }

    public void Dispose() => _model.Dispose();
}
