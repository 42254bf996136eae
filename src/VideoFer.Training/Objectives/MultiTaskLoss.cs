using VideoFer.Datasets;
using VideoFer.Models;
using VideoFer.Training.Config;
using static TorchSharp.torch;

namespace VideoFer.Training.Objectives;

/// <summary>One training step's loss over the tasks a network has heads for, each masked to the frames that have
/// a label for it (Aff-Wild2's tasks are annotated on different frames and videos): cross-entropy on expressions,
/// 1 - CCC (the challenge's measure, per batch) or MSE on valence and arousal, binary cross-entropy with per-AU
/// positive weights on action units. A task without a labelled frame in the batch adds nothing.</summary>
public sealed class MultiTaskLoss
{
    readonly TaskOutputs _layout;
    readonly TrainConfig _config;
    readonly Tensor? _auPositiveWeights;

    /// <param name="auPositiveWeights">Per AU, the weight of a positive frame in its binary cross-entropy
    /// (negatives / positives of the training data, <see cref="PositiveWeights"/>); null weighs them alike.</param>
    public MultiTaskLoss(TaskOutputs layout, TrainConfig config, float[]? auPositiveWeights = null)
    {
        _layout = layout;
        _config = config;
        if (layout.HasActionUnits && auPositiveWeights != null)
        {
            if (auPositiveWeights.Length != layout.ActionUnitCount)
                throw new ArgumentException($"expected {layout.ActionUnitCount} AU weights, got {auPositiveWeights.Length}", nameof(auPositiveWeights));
            _auPositiveWeights = tensor(auPositiveWeights);
        }
    }

    /// <summary>The weighted sum of the tasks' losses, and each task's loss (NaN for a task this batch has no label for).</summary>
    /// <param name="outputs">(…, width) network outputs.</param>
    /// <param name="labels">(…) expression class or -1.</param>
    /// <param name="valenceArousal">(…, 2), NaN where unlabelled.</param>
    /// <param name="actionUnits">(…, AUs) 1/0 or -1 where unlabelled; null when the batch has no AU labels.</param>
    public (Tensor Total, double Expression, double ValenceArousal, double ActionUnits) Compute(
        Tensor outputs, Tensor labels, Tensor? valenceArousal, Tensor? actionUnits)
    {
        using var scope = NewDisposeScope();
        var device = outputs.device;
        var flat = outputs.reshape(-1, _layout.Width);
        Tensor total = zeros([], device: device);
        double expr = double.NaN, va = double.NaN, au = double.NaN;

        if (_layout.HasExpression)
        {
            var y = labels.to(device).reshape(-1);
            if (y.ge(0).any().item<bool>())
            {
                var logits = flat.narrow(1, _layout.ExpressionStart, _layout.ExpressionCount);
                var loss = nn.functional.cross_entropy(logits, y, ignore_index: -1);
                expr = loss.item<float>();
                total = total + _config.ExpressionWeight * loss;
            }
        }
        if (_layout.HasValenceArousal && valenceArousal is not null)
        {
            var target = valenceArousal.to(device).reshape(-1, 2);
            var labelled = target.isnan().logical_not().all(1);
            long count = labelled.sum().item<long>();
            // CCC needs a spread: with fewer than two labelled frames the batch adds nothing to this task.
            if (count >= 2)
            {
                var index = labelled.nonzero().squeeze(1);
                var predicted = flat.narrow(1, _layout.ValenceArousalStart, 2).index_select(0, index);
                var truth = target.index_select(0, index);
                var loss = _config.VaLoss == VaLoss.Mse
                    ? nn.functional.mse_loss(predicted, truth)
                    : 1 - Concordance(predicted, truth).mean();
                va = loss.item<float>();
                total = total + _config.VaWeight * loss;
            }
        }
        if (_layout.HasActionUnits && actionUnits is not null)
        {
            var target = actionUnits.to(device).reshape(-1, _layout.ActionUnitCount);
            var labelled = target.ge(0);
            long count = labelled.sum().item<long>();
            if (count > 0)
            {
                var logits = flat.narrow(1, _layout.ActionUnitStart, _layout.ActionUnitCount);
                var perValue = nn.functional.binary_cross_entropy_with_logits(logits, target.clamp_min(0),
                    pos_weights: _auPositiveWeights?.to(device), reduction: nn.Reduction.None);
                var loss = perValue.mul(labelled.to_type(perValue.dtype)).sum() / count;
                au = loss.item<float>();
                total = total + _config.AuWeight * loss;
            }
        }
        return (total.MoveToOuterDisposeScope(), expr, va, au);
    }

    /// <summary>Lin's concordance correlation coefficient of each column (population moments, as the challenge
    /// computes it), differentiable: 2·cov / (var_x + var_y + (mean_x - mean_y)²).</summary>
    public static Tensor Concordance(Tensor predicted, Tensor truth)
    {
        var mp = predicted.mean([0]);
        var mt = truth.mean([0]);
        var dp = predicted - mp;
        var dt = truth - mt;
        var covariance = (dp * dt).mean([0]);
        var denominator = dp.pow(2).mean([0]) + dt.pow(2).mean([0]) + (mp - mt).pow(2);
        // A batch whose truth and prediction are both constant and equal has no disagreement to learn from.
        return 2 * covariance / denominator.clamp_min(1e-8);
    }

    /// <summary>Per AU, negatives / positives over the training frames annotated for it (clamped to [1, 50] so that
    /// an AU that is almost never active does not swamp the others); 1 for an AU never seen active.</summary>
    public static float[] PositiveWeights(IEnumerable<VideoTrack> tracks, int auCount)
    {
        var positives = new long[auCount];
        var negatives = new long[auCount];
        foreach (var track in tracks)
        {
            if (track.ActionUnits is not { } aus || aus.Count != auCount) continue;
            for (int f = 1; f <= aus.FrameCount; f++)
                for (int j = 0; j < auCount; j++)
                    switch (aus.Value(f, j))
                    {
                        case 1: positives[j]++; break;
                        case 0: negatives[j]++; break;
                    }
        }
        return Enumerable.Range(0, auCount)
            .Select(j => positives[j] == 0 ? 1f : (float)Math.Clamp(negatives[j] / (double)positives[j], 1, 50)).ToArray();
    }
}
