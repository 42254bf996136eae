using VideoFer.Metrics;

namespace VideoFer.Scoring;

/// <summary>A video whose prediction count differed from its annotation count by one frame.</summary>
public sealed record ToleratedCount(string Stem, int AnnotatedFrames, int PredictedFrames);

/// <summary>The result of scoring a submission against ground truth.</summary>
/// <param name="Tolerated">Videos scored despite a count off by one.</param>
/// <param name="UnusedPredictions">Predicted stems with no ground truth (not scored).</param>
public sealed record ScoreReport(
    ClassificationMetrics Metrics,
    int Videos,
    IReadOnlyList<ToleratedCount> Tolerated,
    IReadOnlyList<string> UnusedPredictions,
    string GroundTruthSource,
    string PredictionSource);

/// <summary>Scores ABAW expression predictions like the organisers: every ground-truth video needs a
/// prediction per frame; frames annotated -1 are excluded; metrics pool all frames of all videos.
/// <para>Frame counts: the organisers accepted submissions whose count was off by one, because OpenCV
/// miscounted some videos' frames. A difference of one frame is accepted here too: the frames both
/// files have are scored and the one extra frame (annotation or prediction) is left out.
/// A larger difference is an error.</para></summary>
public static class SubmissionScorer
{
    public const int ToleratedFrameDifference = 1;

    public static ScoreReport Score(string groundTruth, string predictions, int? classCount = null, F1Average average = F1Average.PresentLabels)
    {
        if (classCount is not (null or 7 or 8))
            throw new VideoFerException($"--classes must be 7 or 8, not {classCount}");
        var truth = GroundTruth.Load(groundTruth, classCount);
        int classes = classCount ?? truth[0].ClassCount;
        var predicted = PredictionSet.Open(predictions, classes);
        var confusion = new ConfusionMatrix(classes);
        var tolerated = new List<ToleratedCount>();
        foreach (var gt in truth)
        {
            var pred = predicted.For(gt.Stem, gt.Path);
            int difference = pred.Labels.Length - gt.Labels.Length;
            if (Math.Abs(difference) > ToleratedFrameDifference)
                throw VideoFerException.InFile(pred.Path,
                    $"{pred.Labels.Length} predictions for video {gt.Stem}, whose annotation {gt.Path} has {gt.Labels.Length} frames; " +
                    $"expected {gt.Labels.Length} (a difference of {ToleratedFrameDifference} frame is tolerated)",
                    predicted.IsCsv ? null : pred.Labels.Length + 1);
            if (difference != 0)
                tolerated.Add(new ToleratedCount(gt.Stem, gt.Labels.Length, pred.Labels.Length));
            int frames = Math.Min(gt.Labels.Length, pred.Labels.Length);
            for (int i = 0; i < frames; i++)
                confusion.Add(gt.Labels[i], pred.Labels[i]);
        }
        if (confusion.Total == 0)
            throw new VideoFerException($"{groundTruth}: no annotated frame to score (every frame is -1)");
        var gtStems = truth.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var unused = predicted.Stems().Where(s => !gtStems.Contains(s)).Order(StringComparer.Ordinal).ToList();
        return new ScoreReport(ExpressionMetrics.FromConfusion(confusion, average), truth.Count, tolerated, unused,
            Path.GetFullPath(groundTruth), predicted.Source);
    }
}
