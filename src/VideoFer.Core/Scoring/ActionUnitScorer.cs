using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Submissions;

namespace VideoFer.Scoring;

/// <summary>One video's share of an AU score.</summary>
/// <param name="Metrics">Its own per-AU F1, mean F1 and accuracy over its annotated frames.</param>
public sealed record VideoActionUnits(string Stem, int AnnotatedFrames, int PredictedFrames, ActionUnitMetrics Metrics);

/// <summary>The result of scoring AU predictions.</summary>
/// <param name="Metrics">Over the pooled annotated frames of all scored videos (the challenge figures).</param>
/// <param name="Missing">Ground-truth videos without predictions (only when missing ones were allowed).</param>
/// <param name="UnusedPredictions">Predicted stems with no ground truth (not scored).</param>
public sealed record ActionUnitScoreReport(
    AffWild2Edition Edition,
    ActionUnitMetrics Metrics,
    IReadOnlyList<VideoActionUnits> Videos,
    IReadOnlyList<ToleratedCount> Tolerated,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> UnusedPredictions,
    string PredictionSource)
{
    /// <summary>The edition's challenge score: 0.5 mean F1 + 0.5 accuracy in 2020/2021, mean F1 from 2022.</summary>
    public double Score => Metrics.Score(Edition);
}

/// <summary>Scores action unit predictions like the organisers: frames of all videos pooled, frames
/// annotated -1 left out, per-AU F1 of the positive class averaged over the AUs (and, in 2020/2021,
/// averaged with the accuracy over all AU decisions). The predictions' AU header must list the ground
/// truth's AUs in the same order. Frame counts: as <see cref="SubmissionScorer"/>.</summary>
public static class ActionUnitScorer
{
    /// <param name="truth">Tracks with <see cref="VideoTrack.ActionUnits"/> set (all with the same AU list);
    /// tracks without it are not AU ground truth and are skipped.</param>
    /// <param name="predictions">A folder of <c>&lt;stem&gt;.txt</c>, a 2024 CSV, or a folder with one CSV.</param>
    /// <param name="allowMissing">Score the videos that have predictions and list the rest in
    /// <see cref="ActionUnitScoreReport.Missing"/>, instead of failing on the first missing one.</param>
    public static ActionUnitScoreReport Score(IReadOnlyList<VideoTrack> truth, string predictions, AffWild2Edition edition, bool allowMissing = false)
    {
        var tracks = truth.Where(t => t.ActionUnits != null).ToList();
        if (tracks.Count == 0)
            throw new VideoFerException($"no ground-truth video has action unit annotations (of {truth.Count} given)");
        var names = tracks[0].ActionUnits!.Names;
        foreach (var t in tracks)
            if (!t.ActionUnits!.Names.SequenceEqual(names))
                throw new VideoFerException($"ground-truth video {t.Stem} annotates {AbawActionUnits.Header(t.ActionUnits.Names)}, " +
                    $"but {tracks[0].Stem} annotates {AbawActionUnits.Header(names)}: one AU list per scoring");
        var predicted = TaskPredictions<ActionUnitPredictionTrack>.Open(predictions, "action unit",
            file => Abaw2024ActionUnitSubmission.Read(file, names), t => t.Stem, file => ActionUnitSubmission.Read(file, names));
        var overall = new ActionUnitCounts(names);
        var videos = new List<VideoActionUnits>();
        var tolerated = new List<ToleratedCount>();
        var missing = new List<string>();
        var truthRow = new sbyte[names.Count];
        foreach (var (track, pred, frames) in predicted.Matched(tracks, t => t.ActionUnits!.FrameCount, p => p.FrameCount, allowMissing, missing, tolerated))
        {
            var labels = track.ActionUnits!;
            var own = new ActionUnitCounts(names);
            for (int f = 1; f <= frames; f++)
            {
                for (int j = 0; j < names.Count; j++)
                    truthRow[j] = (sbyte)labels.Value(f, j);
                own.Add(truthRow, pred.Frame(f));
            }
            overall.Add(own);
            videos.Add(new VideoActionUnits(track.Stem, labels.FrameCount, pred.FrameCount, ActionUnitMetrics.From(own)));
        }
        if (overall.Frames == 0)
            throw new VideoFerException($"{predicted.Source}: no annotated frame to score (every ground-truth frame is -1{(missing.Count > 0 ? " or its video has no predictions" : "")})");
        return new ActionUnitScoreReport(edition, ActionUnitMetrics.From(overall), videos, tolerated, missing,
            predicted.Unused(tracks.Select(t => t.Stem)), predicted.Source);
    }
}
