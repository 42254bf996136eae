using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Training.Config;

namespace VideoFer.Training.Evaluation;

/// <summary>The valence-arousal and action unit metrics of an evaluation, pooled over every annotated frame of every
/// track as the organisers pool them, and the figure that picks the best checkpoint.</summary>
public static class TaskEvaluation
{
    /// <summary>CCC of valence and arousal over the frames whose truth is annotated; null when no track has a VA label.</summary>
    public static ValenceArousalMetrics? ValenceArousal(IReadOnlyList<VideoTrack> tracks, IReadOnlyList<TrackPrediction> predictions)
    {
        var tv = new List<float>(); var ta = new List<float>(); var pv = new List<float>(); var pa = new List<float>();
        for (int t = 0; t < tracks.Count; t++)
        {
            if (tracks[t].ValenceArousal is not { } truth || predictions[t].ValenceArousal is not { } predicted) continue;
            for (int f = 1; f <= tracks[t].FrameCount; f++)
            {
                if (!truth.IsAnnotated(f)) continue;
                tv.Add(truth.Valence(f)); ta.Add(truth.Arousal(f));
                pv.Add(predicted[f - 1][0]); pa.Add(predicted[f - 1][1]);
            }
        }
        return tv.Count == 0 ? null : ValenceArousalMetrics.Compute(tv.ToArray(), ta.ToArray(), pv.ToArray(), pa.ToArray());
    }

    /// <summary>Per-AU F1, mean F1 and accuracy of the AU decisions (probability above 0.5) over the annotated frames;
    /// null when no track has AU labels of the model's list.</summary>
    public static ActionUnitMetrics? ActionUnits(IReadOnlyList<VideoTrack> tracks, IReadOnlyList<TrackPrediction> predictions,
        IReadOnlyList<string> names)
    {
        var counts = new ActionUnitCounts(names);
        bool any = false;
        for (int t = 0; t < tracks.Count; t++)
        {
            if (tracks[t].ActionUnits is not { } truth || predictions[t].ActionUnits is not { } predicted) continue;
            if (!truth.Names.SequenceEqual(names)) continue;
            int n = names.Count, frames = Math.Min(truth.FrameCount, predicted.Length);
            var trueValues = new sbyte[frames * n];
            var probabilities = new float[frames * n];
            for (int f = 1; f <= frames; f++)
                for (int j = 0; j < n; j++)
                {
                    trueValues[(f - 1) * n + j] = (sbyte)truth.Value(f, j);
                    probabilities[(f - 1) * n + j] = predicted[f - 1][j];
                }
            counts.AddFrames(trueValues, ActionUnitThresholds.Apply(probabilities, n));
            any = true;
        }
        return any ? ActionUnitMetrics.From(counts) : null;
    }

    /// <summary>The validation figure that picks best.pth (higher is better): the expression's S, the VA mean CCC, the
    /// edition's AU score, or their sum; auto takes the only task trained, else the sum. A task without a figure
    /// (no labelled validation frame, or a NaN CCC) counts as negative infinity, so it never wins.</summary>
    /// <summary>What <see cref="SelectionScore"/> is for these tasks, in words ("S", "the VA mean CCC", ...).</summary>
    public static string SelectionName(AbawTasks tasks, SelectBy by) => Resolve(tasks, by) switch
    {
        SelectBy.Expr => "S",
        SelectBy.Va => "VA mean CCC",
        SelectBy.Au => "AU score",
        _ => "multi-task score (" + string.Join(" + ", AbawTaskNames.Each(tasks).Select(t => t switch
        {
            AbawTasks.Expression => "S",
            AbawTasks.ValenceArousal => "VA CCC",
            _ => "AU score",
        })) + ")",
    };

    static SelectBy Resolve(AbawTasks tasks, SelectBy by) => by != SelectBy.Auto ? by : tasks switch
    {
        AbawTasks.Expression => SelectBy.Expr,
        AbawTasks.ValenceArousal => SelectBy.Va,
        AbawTasks.ActionUnits => SelectBy.Au,
        _ => SelectBy.Mtl,
    };

    public static double SelectionScore(EvaluationResult result, SelectBy by, AffWild2Edition edition)
    {
        double expr = result.Tasks.HasFlag(AbawTasks.Expression) && result.Metrics.Frames > 0 ? result.Metrics.Score : double.NaN;
        double va = result.ValenceArousal?.MeanCcc ?? double.NaN;
        double au = result.ActionUnits?.Score(edition) ?? double.NaN;
        by = Resolve(result.Tasks, by);
        double score = by switch
        {
            SelectBy.Expr => expr,
            SelectBy.Va => va,
            SelectBy.Au => au,
            _ => AbawTaskNames.Each(result.Tasks).Sum(t => t switch
            {
                AbawTasks.Expression => expr,
                AbawTasks.ValenceArousal => va,
                _ => au,
            }),
        };
        return double.IsNaN(score) ? double.NegativeInfinity : score;
    }
}
