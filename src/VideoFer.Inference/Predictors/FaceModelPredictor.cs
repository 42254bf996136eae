using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.Predictors;

/// <summary>Which per-frame expression models a <see cref="FaceModelPredictor"/> runs and how: <c>--model</c> names
/// them joined by '+' (<c>faceapi</c>, <c>human</c>, <c>faceapi+human</c>: their probabilities averaged), with
/// <c>+flip</c> to average each over the face and its mirror image. <see cref="Margin"/> is the square's side over
/// the detector's box side; <see cref="Temperature"/> divides the log-probabilities of the average (calibration).</summary>
public sealed record FaceModelSettings
{
    /// <summary>The per-frame models VideoFer has, as <c>--model</c> names them.</summary>
    public static IReadOnlyList<string> KnownModels { get; } = ["faceapi", "human"];

    public IReadOnlyList<string> Models { get; init; } = ["faceapi"];
    public bool Flip { get; init; }
    public float Margin { get; init; } = FaceSquare.BoxEnlargement;
    public double Temperature { get; init; } = 1;

    /// <summary>The default model (docs/DEFAULT_MODEL.md): chosen by its S on 1,500 real labelled face photos, and
    /// calibrated by the temperature fitted (least log-loss) on identity half 1 of them: 2.68; on half 2 it took the
    /// expected calibration error from 0.177 to 0.060 (argmax, so Acc and F1, unchanged).</summary>
    public static FaceModelSettings Default { get; } = new() { Models = ["faceapi"], Flip = true, Temperature = DefaultTemperature };

    /// <summary>The default model's calibrated temperature (<see cref="Default"/>).</summary>
    public const double DefaultTemperature = 2.68;

    /// <summary>True for the default model's settings.</summary>
    public bool IsDefault => Spec == Default.Spec && Margin == Default.Margin && Temperature == Default.Temperature;

    /// <summary>"faceapi+human+flip" and the like.</summary>
    public string Spec => string.Join("+", Flip ? [.. Models, "flip"] : Models);

    /// <summary>True when <paramref name="spec"/> names per-frame models (rather than a checkpoint file).</summary>
    public static bool IsSpec(string spec) =>
        spec == "default" || spec.Split('+').All(t => KnownModels.Contains(t) || t == "flip") && spec.Split('+').Any(KnownModels.Contains);

    /// <summary>The settings of <paramref name="spec"/> ("default", or model names and "flip" joined by '+').</summary>
    public static FaceModelSettings Parse(string spec)
    {
        // The default model's combination named as such is the default model, calibration included.
        if (spec == "default" || spec == Default.Spec) return Default;
        var tokens = spec.Split('+');
        var unknown = tokens.Where(t => !KnownModels.Contains(t) && t != "flip").ToList();
        if (unknown.Count > 0 || !tokens.Any(KnownModels.Contains))
            throw new VideoFerException($"--model {spec}: expected default, a checkpoint file (.pth), or model names joined by '+' " +
                                        $"({string.Join(", ", KnownModels)}), optionally with +flip");
        return new FaceModelSettings { Models = [.. tokens.Where(KnownModels.Contains).Distinct()], Flip = tokens.Contains("flip") };
    }

    /// <summary>Refuses a margin or temperature that cannot be used.</summary>
    public FaceModelSettings Check()
    {
        if (!(Margin >= 0.5f && Margin <= 4f)) throw new VideoFerException($"--margin {Margin}: expected a number between 0.5 and 4 (the face square's side over the box's)");
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw new VideoFerException($"--temperature {Temperature}: expected a positive number");
        return this;
    }
}

/// <summary>Per-frame expression models on each face: the square of the detector's box times
/// <see cref="FaceModelSettings.Margin"/> (1.4, as Human and face-api's users cut it), turned upright by the eyes
/// (<see cref="FaceSquare"/>), each model's probabilities averaged (and over the mirrored face with flip), then
/// calibrated by the settings' temperature. The default model of predict and eval is one of these
/// (<see cref="FaceModelSettings.Default"/>).</summary>
public sealed class FaceModelPredictor : IExpressionPredictor
{
    readonly IReadOnlyList<IFaceExpressionModel> _models;
    readonly FaceModelSettings _settings;

    public FaceModelPredictor(FaceModelSettings? settings = null, string? modelFolder = null)
    {
        _settings = (settings ?? FaceModelSettings.Default).Check();
        var models = new List<IFaceExpressionModel>();
        try
        {
            foreach (var name in _settings.Models)
                models.Add(name switch
                {
                    "human" => EmotionModel.Load(modelFolder),
                    "faceapi" => FaceApiExpressionModel.Load(modelFolder),
                    _ => throw new VideoFerException($"--model: unknown model {name}"),
                });
        }
        catch
        {
            foreach (var m in models) m.Dispose();
            throw;
        }
        _models = models;
    }

    public FaceModelSettings Settings => _settings;

    public string Description =>
        $"{(_settings.IsDefault ? "default model" : "model")}: {_settings.Spec} (" +
        string.Join(" and ", _models.Select(m => m.Name switch
        {
            "human" => "@vladmandic/human 3.3.6's emotion model, FER2013",
            "faceapi" => "@vladmandic/face-api 1.7.15's expression model",
            _ => m.Name,
        })) + (_settings.Flip ? ", averaged with the mirrored face" : "") + $", 7 classes, per frame; square {_settings.Margin:0.##} x the box" +
        (_settings.Temperature != 1 ? $", temperature {_settings.Temperature:0.###}" : "") + ")";

    public IReadOnlyList<string> ClassNames => ExpressionClasses.Seven;

    /// <summary>None: the models cut their own squares from the frame image.</summary>
    public IReadOnlyList<int> CropSizes => [];
    public bool NeedsFrameImage => true;

    public IReadOnlyList<PredictionRecord> Add(FrameFaces frame)
    {
        if (frame.Faces.Count == 0) return [];
        var image = frame.Image ?? throw new InvalidOperationException("the per-frame models need the frame image");
        var probabilities = Predict(image, [.. frame.Faces.Select(f => f.Detection)]);
        return frame.Faces.Select((f, i) => PredictionRecord.Of(frame, f, probabilities[i])).ToList();
    }

    /// <summary>The calibrated probabilities (ABAW order) of each face of <paramref name="image"/>.</summary>
    public float[][] Predict(Mat image, IReadOnlyList<Vision.Faces.FaceDetection> faces)
    {
        var sums = faces.Select(_ => new double[ExpressionClasses.Seven.Count]).ToArray();
        int views = 0;
        foreach (var model in _models)
        {
            var crops = new List<FaceCrop>(faces.Count * 2);
            var mats = new List<Mat>();
            try
            {
                foreach (var face in faces)
                {
                    var square = FaceSquare.Cut(image, face, model.CropSide, _settings.Margin);
                    mats.Add(square);
                    crops.Add(ToCrop(square));
                    if (_settings.Flip)
                    {
                        var mirrored = new Mat();
                        Cv2.Flip(square, mirrored, FlipMode.Y);
                        mats.Add(mirrored);
                        crops.Add(ToCrop(mirrored));
                    }
                }
                var output = model.Predict(crops);
                int perFace = _settings.Flip ? 2 : 1;
                for (int i = 0; i < faces.Count; i++)
                    for (int v = 0; v < perFace; v++)
                        for (int k = 0; k < sums[i].Length; k++) sums[i][k] += output[i * perFace + v][k];
                views += perFace;
            }
            finally
            {
                foreach (var m in mats) m.Dispose();
            }
        }
        return [.. sums.Select(s => Calibrate(s, views, _settings.Temperature))];
    }

    /// <summary>The mean of the views' probabilities, with the temperature applied: softmax(log p / T).</summary>
    internal static float[] Calibrate(double[] sum, int views, double temperature)
    {
        var p = new float[sum.Length];
        if (temperature == 1)
        {
            for (int k = 0; k < p.Length; k++) p[k] = (float)(sum[k] / views);
            return p;
        }
        var logits = sum.Select(v => Math.Log(Math.Max(v / views, 1e-12)) / temperature).ToArray();
        double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max));
        for (int k = 0; k < p.Length; k++) p[k] = (float)(Math.Exp(logits[k] - max) / total);
        return p;
    }

    static FaceCrop ToCrop(Mat square)
    {
        var bytes = new byte[square.Rows * square.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(square.Data, bytes, 0, bytes.Length);
        return new FaceCrop(bytes, square.Cols, square.Rows, ChannelOrder.Bgr);
    }

    public IReadOnlyList<PredictionRecord> Finish() => [];

    public void Dispose()
    {
        foreach (var m in _models) m.Dispose();
    }
}
