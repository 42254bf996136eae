using TorchSharp;
using VideoFer.Data.Images;
using VideoFer.Datasets;
using VideoFer.Models.Engines;
using VideoFer.Models.Inference;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Training.Evaluation;

/// <summary>What `videofer eval` computes: a clip-model checkpoint on video tracks, fed exactly as
/// its checkpoint says it was validated in training (so the scores reproduce the trainer's).</summary>
public static class CheckpointEvaluation
{
    public sealed record Outcome(EvaluationResult Result, CheckpointInfo Info, Preprocessing Preprocessing)
    {
        /// <summary>The engine that ran the network ("libtorch", "ONNX Runtime fp32", ...).</summary>
        public string Engine { get; init; } = "libtorch";
    }

    /// <param name="baseSize">A resize side to use instead of the checkpoint's (eval's --base-size).</param>
    /// <param name="engine">libtorch or ONNX Runtime, fp32 or int8 (auto: <see cref="EngineRule"/>). int8 without a calibration folder calibrates on the split's own
    /// clips, spread over it (<see cref="EngineOptions.CalibrationFaces"/> faces).</param>
    public static Outcome Evaluate(string checkpoint, IReadOnlyList<VideoTrack> tracks, Device device,
        int? baseSize = null, int clipsPerBatch = 8, IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default,
        EngineOptions? engine = null, Func<string, ImagePipelineOptions, IReadOnlyList<float[]>>? loadCalibrationFolder = null)
    {
        engine ??= new EngineOptions();
        var resolved = EngineRule.Resolve(engine.Engine, engine.Precision, device.type == DeviceType.CPU);
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        var preprocessing = info.Preprocessing!.WithBaseSize(baseSize, "--base-size");
        var images = ImagePipelineOptions.ForEvaluation(preprocessing.InputSize, preprocessing.BaseSize, preprocessing.Mean, preprocessing.Std);
        net.to(device);
        Func<IEnumerable<Tensor>>? calibration = null;
        if (engine.Precision == Precision.Int8)
            calibration = () => engine.CalibrationFolder is string folder
                ? Clips(loadCalibrationFolder?.Invoke(folder, images) ?? throw new InvalidOperationException("no loader for calibration folders"), preprocessing.ClipLength, images.CropSize)
                : CalibrationClips(tracks, images, preprocessing.ClipLength, engine.CalibrationFaces);
        // The engine takes the network over (a loaded checkpoint is only evaluated here).
        using var run = NetworkEngines.Create(net, resolved, engine.Precision, calibration, engine.Quantization);
        var result = Evaluator.EvaluateClips(x => run.Logits(x.to(device)), info.Config, tracks, images, clipsPerBatch, progress: progress, ct: ct, clipLength: preprocessing.ClipLength);
        return new Outcome(result, info, preprocessing) { Engine = run.Name };
    }

    /// <summary>Clips with about <paramref name="faces"/> frames in all, spread evenly over the split's clips (in track
    /// order): ranges taken from the first track alone fit the others worse (one person, one light).</summary>
    public static IEnumerable<Tensor> CalibrationClips(IReadOnlyList<VideoTrack> tracks, ImagePipelineOptions images, int length, int faces)
    {
        var all = tracks.SelectMany(t => VideoFer.Clips.EvaluationClips.Arrange(t, length)).ToList();
        int wanted = Math.Min(Math.Max(1, (faces + length - 1) / length), all.Count);
        var clips = Enumerable.Range(0, wanted).Select(i => all[(int)((long)i * all.Count / wanted)]).ToList();
        var builder = new VideoFer.Data.Batching.ClipBatchBuilder(images);
        foreach (var clip in clips)
        {
            using var batch = builder.Build([clip], PipelineMode.Evaluation);
            yield return batch.Frames.clone();
        }
    }

    static IEnumerable<Tensor> Clips(IReadOnlyList<float[]> faces, int length, int side)
    {
        int floats = 3 * side * side;
        for (int start = 0; start < faces.Count; start += length)
        {
            var clip = new float[(long)length * floats];
            for (int s = 0; s < length; s++) faces[(start + s) % faces.Count].CopyTo(clip, (long)s * floats);
            yield return tensor(clip, [1, length, 3, side, side]);
        }
    }
}
