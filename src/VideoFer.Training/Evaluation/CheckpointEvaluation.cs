using TorchSharp;
using VideoFer.Data.Images;
using VideoFer.Datasets;
using VideoFer.Models.Inference;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Training.Evaluation;

/// <summary>What `videofer eval` computes: a clip-model checkpoint on video tracks, fed exactly as
/// its checkpoint says it was validated in training (so the scores reproduce the trainer's).</summary>
public static class CheckpointEvaluation
{
    public sealed record Outcome(EvaluationResult Result, CheckpointInfo Info, Preprocessing Preprocessing);

    /// <param name="baseSize">A resize side to use instead of the checkpoint's (eval's --base-size).</param>
    public static Outcome Evaluate(string checkpoint, IReadOnlyList<VideoTrack> tracks, Device device,
        int? baseSize = null, int clipsPerBatch = 8, IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        using var _ = net;
        var preprocessing = info.Preprocessing!.WithBaseSize(baseSize, "--base-size");
        net.to(device);
        InferenceOptimizer.Optimize(net); // a loaded checkpoint is only evaluated here
        var images = ImagePipelineOptions.ForEvaluation(preprocessing.InputSize, preprocessing.BaseSize, preprocessing.Mean, preprocessing.Std);
        var result = Evaluator.EvaluateClips(net, tracks, images, device, clipsPerBatch, progress: progress, ct: ct, clipLength: preprocessing.ClipLength);
        return new Outcome(result, info, preprocessing);
    }
}
