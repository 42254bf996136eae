using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.Predictors;

/// <summary>The embedded default: the FER2013-trained Xception-style network of @vladmandic/human,
/// run per frame. Its publisher feeds it a square crop of the detector's box enlarged 1.4 times and
/// resized to 256x256 (docs/DEFAULT_MODEL.md); this predictor cuts that from the frame, turned upright by the
/// eyes (<see cref="FaceSquare"/>).</summary>
public sealed class DefaultModelPredictor : IExpressionPredictor
{
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

    /// <summary>The model's square (<see cref="FaceSquare"/>: 1.4 x the box, upright by the eyes), 256 pixels.</summary>
    internal static Mat CutSquare(Mat frame, FaceDetection detection) => FaceSquare.Cut(frame, detection, CropSide);

    public void Dispose() => _model.Dispose();
}
