using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Submissions;

namespace VideoFer.Scoring;

/// <summary>One video's share of a VA score.</summary>
/// <param name="AnnotatedFrames">Lines of its annotation (frames 1..N).</param>
/// <param name="Metrics">Its own CCCs over its annotated frames, null when it has none.</param>
public sealed record VideoValenceArousal(string Stem, int AnnotatedFrames, int PredictedFrames, ValenceArousalMetrics? Metrics);

/// <summary>The result of scoring VA predictions.</summary>
/// <param name="Metrics">Over the pooled annotated frames of all scored videos (the challenge figure).</param>
/// <param name="Missing">Ground-truth videos without predictions (only when missing ones were allowed).</param>
/// <param name="UnusedPredictions">Predicted stems with no ground truth (not scored).</param>
public sealed record ValenceArousalScoreReport(
    AffWild2Edition Edition,
    ValenceArousalMetrics Metrics,
    IReadOnlyList<VideoValenceArousal> Videos,
    IReadOnlyList<ToleratedCount> Tolerated,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> UnusedPredictions,
    string PredictionSource)
{
    /// <summary>The challenge score, (CCC_v + CCC_a) / 2 (every edition); NaN in the degenerate cases of <see cref="Concordance"/>.</summary>
    public double Score => AbawTaskScores.ValenceArousal(Metrics.ValenceCcc, Metrics.ArousalCcc);
}

/// <summary>Scores valence-arousal predictions like the organisers: the frames of all videos are pooled,
/// frames whose annotation is -5 (NaN in <see cref="ValenceArousalLabels"/>) are left out, and the CCC of
/// valence and of arousal are averaged. Frame counts: as <see cref="SubmissionScorer"/> (one frame off is
/// tolerated and reported, more is an error naming the file).</summary>
public static class ValenceArousalScorer
{
    /// <param name="truth">Tracks with <see cref="VideoTrack.ValenceArousal"/> set; tracks without it are not VA
    /// ground truth and are skipped.</param>
    /// <param name="predictions">A folder of <c>&lt;stem&gt;.txt</c>, a 2024 CSV, or a folder with one CSV.</param>
    /// <param name="allowMissing">Score the videos that have predictions and list the rest in
    /// <see cref="ValenceArousalScoreReport.Missing"/>, instead of failing on the first missing one.</param>
    public static ValenceArousalScoreReport Score(IReadOnlyList<VideoTrack> truth, string predictions, AffWild2Edition edition, bool allowMissing = false)
    {
        var tracks = truth.Where(t => t.ValenceArousal != null).ToList();
        if (tracks.Count == 0)
            throw new VideoFerException($"no ground-truth video has valence-arousal annotations (of {truth.Count} given)");
        var predicted = TaskPredictions<ValenceArousalPredictionTrack>.Open(predictions, "valence-arousal",
            Abaw2024ValenceArousalSubmission.Read, t => t.Stem, ValenceArousalSubmission.Read);
        var tv = new List<float>();
        var ta = new List<float>();
        var pv = new List<float>();
        var pa = new List<float>();
        var videos = new List<VideoValenceArousal>();
        var tolerated = new List<ToleratedCount>();
        var missing = new List<string>();
        foreach (var (track, pred, frames) in predicted.Matched(tracks, t => t.ValenceArousal!.FrameCount, p => p.FrameCount, allowMissing, missing, tolerated))
        {
            var labels = track.ValenceArousal!;
            int start = tv.Count;
            for (int f = 1; f <= frames; f++)
            {
                if (!labels.IsAnnotated(f)) continue;
                tv.Add(labels.Valence(f));
                ta.Add(labels.Arousal(f));
                pv.Add(pred.Valence[f - 1]);
                pa.Add(pred.Arousal[f - 1]);
            }
            int count = tv.Count - start;
            var own = count == 0 ? null : ValenceArousalMetrics.Compute(
                Slice(tv, start, count), Slice(ta, start, count), Slice(pv, start, count), Slice(pa, start, count));
            videos.Add(new VideoValenceArousal(track.Stem, labels.FrameCount, pred.FrameCount, own));
        }
        if (tv.Count == 0)
            throw new VideoFerException($"{predicted.Source}: no annotated frame to score (every ground-truth frame is unannotated{(missing.Count > 0 ? " or its video has no predictions" : "")})");
        var metrics = ValenceArousalMetrics.Compute(Slice(tv, 0, tv.Count), Slice(ta, 0, ta.Count), Slice(pv, 0, pv.Count), Slice(pa, 0, pa.Count));
        return new ValenceArousalScoreReport(edition, metrics, videos, tolerated, missing,
            predicted.Unused(tracks.Select(t => t.Stem)), predicted.Source);
    }

    static ReadOnlySpan<float> Slice(List<float> values, int start, int count) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).Slice(start, count);
}
