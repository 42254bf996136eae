using System.Diagnostics;
using OpenCvSharp;
using VideoFer.Datasets.LabelledImages;
using VideoFer.Inference.Predictors;
using VideoFer.Metrics;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;

namespace VideoFer.Inference.Evaluation;

/// <summary>What a model said about one labelled picture: the face it scored (the largest found; null when none was
/// found, which counts as wrong), its probabilities in the model's class order and the class it chose (-1: none).</summary>
public sealed record ImagePrediction(LabelledImage Image, FaceDetection? Face, IReadOnlyList<float>? Probabilities, int Predicted, int FacesFound)
{
    public bool Correct => Predicted >= 0 && Predicted == Image.Class;
}

/// <summary>A model scored on labelled pictures: Acc, macro F1 over the model's classes (scikit-learn's
/// <c>f1_score(average="macro", labels=range(classes))</c>) and S, with a picture where no face was found counted as
/// wrong; the detection rate; calibration of the probabilities.</summary>
public sealed record ImageEvaluation(LabelledImageSet Set, IReadOnlyList<ImagePrediction> Predictions, ClassificationMetrics Metrics,
    string Model, IReadOnlyList<string> ClassNames, double Seconds)
{
    /// <summary>Scored pictures where a face was found, over all scored pictures.</summary>
    public double DetectionRate => Predictions.Count == 0 ? 0 : (double)Predictions.Count(p => p.Face is not null) / Predictions.Count;

    public double ImagesPerSecond => Seconds > 0 ? Predictions.Count / Seconds : 0;

    /// <summary>(probabilities, truth) of every picture with a face, for calibration.</summary>
    public IReadOnlyList<(IReadOnlyList<double> P, int Truth)> CalibrationSamples =>
        [.. Predictions.Where(p => p.Probabilities is not null).Select(p => ((IReadOnlyList<double>)[.. p.Probabilities!.Select(v => (double)v)], p.Image.Class))];

    public IReadOnlyList<ReliabilityBin> Reliability => Calibration.Reliability(CalibrationSamples);
}

/// <summary>Runs a model on labelled face pictures, as predict does on a photo (the same face pipeline and model),
/// scoring the largest face of each picture.</summary>
public sealed class ImageEvaluator(IExpressionPredictor predictor, FacePipelineOptions? faces = null) : IDisposable
{
    readonly FacePipeline _pipeline = new((faces ?? new FacePipelineOptions()) with
    {
        CropSizes = predictor.CropSizes,
        KeepFrameImage = predictor.NeedsFrameImage,
    });

    /// <summary>Scores the pictures of <paramref name="set"/> whose class the model has; <paramref name="progress"/>
    /// hears (done, total) after each picture.</summary>
    public ImageEvaluation Run(LabelledImageSet set, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var scored = set.Scored;
        var results = new List<ImagePrediction>(scored.Count);
        var clock = Stopwatch.StartNew();
        foreach (var image in scored)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(Predict(image));
            progress?.Report((results.Count, scored.Count));
        }
        var matrix = new ConfusionMatrix(predictor.ClassNames.Count);
        foreach (var r in results) matrix.Add(r.Image.Class, r.Predicted);
        var metrics = ExpressionMetrics.FromConfusion(matrix, F1Average.AllClasses);
        return new ImageEvaluation(set, results, metrics, predictor.Description, predictor.ClassNames, clock.Elapsed.TotalSeconds);
    }

    ImagePrediction Predict(LabelledImage image)
    {
        var source = new ImageFileSource(image.Path);
        foreach (var frame in _pipeline.Process(source))
            using (frame)
            {
                if (frame.Faces.Count == 0) return new ImagePrediction(image, null, null, -1, 0);
                // The labelled face: the largest one (a face-crop dataset's subject fills the picture).
                var face = frame.Faces.MaxBy(f => f.Detection.Box.Width * f.Detection.Box.Height)!;
                using var one = new FrameFaces(frame.Index, frame.Time, frame.ShotCut, [face], frame.Image?.Clone());
                var records = predictor.Add(one).Concat(predictor.Finish()).ToList();
                var p = records.Single().Raw;
                int best = 0;
                for (int k = 1; k < p.Count; k++) if (p[k] > p[best]) best = k;
                return new ImagePrediction(image, face.Detection, p, best, frame.Faces.Count);
            }
        return new ImagePrediction(image, null, null, -1, 0);
    }

    public void Dispose() => _pipeline.Dispose();
}
