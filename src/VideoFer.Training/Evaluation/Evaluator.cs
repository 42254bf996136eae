using TorchSharp;
using VideoFer.Clips;
using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Datasets;
using VideoFer.Metrics;
using VideoFer.Models;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Training.Evaluation;

/// <summary>Per-frame predictions of one track: a label for every frame 1..N (ABAW order), and, where the
/// evaluation keeps them (clip models), the class probabilities behind each label (softmax, [frame][class]).
/// A multi-task model adds valence and arousal ([frame][2]) and AU probabilities ([frame][AU], after the sigmoid);
/// a model without the expression task has no labels (an empty array).</summary>
public sealed record TrackPrediction(string Stem, int[] Labels, float[][]? Probabilities = null)
{
    public float[][]? ValenceArousal { get; init; }
    public float[][]? ActionUnits { get; init; }
}

/// <summary>Metrics over all scored frames, and the per-track predictions behind them. <see cref="Metrics"/> are the
/// expression's (over no frame for a model without that task); <see cref="ValenceArousal"/> and <see cref="ActionUnits"/>
/// are set when the model has those heads and the tracks have such labels.</summary>
public sealed record EvaluationResult(ClassificationMetrics Metrics, IReadOnlyList<TrackPrediction> Tracks, int MissingImages)
{
    public AbawTasks Tasks { get; init; } = AbawTasks.Expression;
    public ValenceArousalMetrics? ValenceArousal { get; init; }
    public ActionUnitMetrics? ActionUnits { get; init; }
}

/// <summary>Evaluates as the paper does (§IV-D): each track is cut into consecutive clips of L frames,
/// the last padded with zeros; the BLSTM labels all frames of a clip at once; every real frame is
/// counted once. Frames without an image take the image of the nearest frame that has one (see
/// <see cref="EvaluationClips"/>), so every frame gets a prediction, as a submission needs.
/// Frames labelled -1 are not scored.</summary>
public static class Evaluator
{
    public static EvaluationResult EvaluateClips(ExpressionNetwork net, IReadOnlyList<VideoTrack> tracks,
        ImagePipelineOptions images, Device device, int clipsPerBatch = 8, int workers = 2,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default, int? clipLength = null)
    {
        RequireKind(net, ModelKind.Clip);
        bool wasTraining = net.training;
        net.eval();
        try { return EvaluateClips(x => net.forward(x.to(device)), net.Config, tracks, images, clipsPerBatch, workers, progress, ct, clipLength); }
        finally
        {
            if (wasTraining) net.train();
        }
    }

    /// <summary>As above, with any engine that maps clips (B, T, 3, H, W) to logits (B, T, classes)
    /// (libtorch or ONNX Runtime, <see cref="Models.Engines.NetworkEngine"/>).</summary>
    public static EvaluationResult EvaluateClips(Func<Tensor, Tensor> logits, ExpressionNetConfig config, IReadOnlyList<VideoTrack> tracks,
        ImagePipelineOptions images, int clipsPerBatch = 8, int workers = 2,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default, int? clipLength = null)
    {
        int length = clipLength ?? config.ClipLength, classes = config.Classes;
        var layout = config.Outputs;
        int width = layout.Width, auCount = layout.ActionUnitCount;
        var arranged = tracks.Select(t => EvaluationClips.Arrange(t, length)).ToList();
        var predicted = arranged.Select(a => new int[a.Count, length]).ToList();
        var probabilities = arranged.Select(a => new float[a.Count, length][]).ToList();
        var valenceArousal = arranged.Select(a => new float[a.Count, length][]).ToList();
        var actionUnits = arranged.Select(a => new float[a.Count, length][]).ToList();
        // Batches never mix tracks, so results map straight back to (track, clip).
        var specs = arranged.SelectMany((clips, t) => clips.Chunk(clipsPerBatch)
            .Select((chunk, k) => (Track: t, First: k * clipsPerBatch, Clips: (IReadOnlyList<Clip>)chunk))).ToList();
        var builder = new ClipBatchBuilder(images);
        using var loader = new BatchLoader<(int Track, int First, IReadOnlyList<Clip> Clips), ClipBatch>(
            specs, (spec, _) => builder.Build(spec.Clips, PipelineMode.Evaluation),
            new BatchLoaderOptions { Workers = workers, Capacity = Math.Max(2, workers * 2) });
        long done = 0, total = tracks.Sum(t => (long)t.FrameCount);
        {
            using var _ = inference_mode();
            int index = 0;
            foreach (var batch in loader.Batches(ct))
            {
                var spec = specs[index++];
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var output = logits(batch.Frames);
                    var expression = layout.HasExpression ? output.narrow(-1, layout.ExpressionStart, classes) : null;
                    var labels = expression?.argmax(-1).cpu().data<long>().ToArray();
                    var softmax = expression is null ? null : nn.functional.softmax(expression, -1).cpu().data<float>().ToArray();
                    var va = layout.HasValenceArousal ? output.narrow(-1, layout.ValenceArousalStart, 2).contiguous().cpu().data<float>().ToArray() : null;
                    var au = layout.HasActionUnits ? output.narrow(-1, layout.ActionUnitStart, auCount).sigmoid().contiguous().cpu().data<float>().ToArray() : null;
                    for (int c = 0; c < spec.Clips.Count; c++)
                        for (int s = 0; s < length; s++)
                        {
                            int row = c * length + s;
                            if (labels != null)
                            {
                                predicted[spec.Track][spec.First + c, s] = (int)labels[row];
                                probabilities[spec.Track][spec.First + c, s] = softmax![(row * classes)..((row + 1) * classes)];
                            }
                            if (va != null) valenceArousal[spec.Track][spec.First + c, s] = va[(row * 2)..((row + 1) * 2)];
                            if (au != null) actionUnits[spec.Track][spec.First + c, s] = au[(row * auCount)..((row + 1) * auCount)];
                        }
                }
                done += spec.Clips.Sum(c => c.Frames.Count(f => f.Real));
                progress?.Report((done, total));
            }
        }
        var results = new List<TrackPrediction>();
        var truth = new List<int>();
        var guesses = new List<int>();
        for (int t = 0; t < tracks.Count; t++)
        {
            var p = predicted[t];
            var q = probabilities[t];
            var v = valenceArousal[t];
            var a = actionUnits[t];
            int frames = tracks[t].FrameCount;
            var labels = layout.HasExpression ? EvaluationClips.ToFrames(arranged[t], frames, (c, s) => p[c, s]) : [];
            results.Add(new TrackPrediction(tracks[t].Stem, labels,
                layout.HasExpression ? EvaluationClips.ToFrames(arranged[t], frames, (c, s) => q[c, s]) : null)
            {
                ValenceArousal = layout.HasValenceArousal ? EvaluationClips.ToFrames(arranged[t], frames, (c, s) => v[c, s]) : null,
                ActionUnits = layout.HasActionUnits ? EvaluationClips.ToFrames(arranged[t], frames, (c, s) => a[c, s]) : null,
            });
            if (layout.HasExpression)
            {
                truth.AddRange(tracks[t].Labels);
                guesses.AddRange(labels);
            }
        }
        var metrics = ExpressionMetrics.Compute(truth, guesses, classes);
        return new EvaluationResult(metrics, results, (int)builder.Loader.MissingImages)
        {
            Tasks = layout.Tasks,
            ValenceArousal = layout.HasValenceArousal ? TaskEvaluation.ValenceArousal(tracks, results) : null,
            ActionUnits = layout.HasActionUnits ? TaskEvaluation.ActionUnits(tracks, results, config.ActionUnits) : null,
        };
    }

    /// <summary>Frame-only evaluation on still images (the pre-training stage).</summary>
    public static EvaluationResult EvaluateImages(ExpressionNetwork net, IReadOnlyList<FrameItem> items,
        ImagePipelineOptions images, Device device, int batchSize = 32, int workers = 2,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        var (guesses, missing) = ClassifyImages(net, items, images, device, batchSize, workers, progress, ct);
        var metrics = ExpressionMetrics.Compute(items.Select(i => i.Label).ToList(), guesses, net.Config.Classes);
        return new EvaluationResult(metrics, [], missing);
    }

    /// <summary>The frame-only model on video tracks, frame by frame (no temporal context): the baseline
    /// the clip model is compared with. Frames without an image use the nearest frame's, as for clips.</summary>
    public static EvaluationResult EvaluateFramesOnTracks(ExpressionNetwork net, IReadOnlyList<VideoTrack> tracks,
        ImagePipelineOptions images, Device device, int batchSize = 32, int workers = 2,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        var items = new List<FrameItem>();
        foreach (var track in tracks)
        {
            var sources = NearestFrameFill.Sources(track.ImageMask);
            for (int f = 1; f <= track.FrameCount; f++)
                items.Add(new FrameItem(track.Dataset, track.Split, track.Stem, f,
                    sources[f - 1] > 0 ? track.ImagePath(sources[f - 1]) : null, track.Label(f)));
        }
        var (guesses, missing) = ClassifyImages(net, items, images, device, batchSize, workers, progress, ct);
        var results = new List<TrackPrediction>();
        int offset = 0;
        foreach (var track in tracks)
        {
            results.Add(new TrackPrediction(track.Stem, guesses.Skip(offset).Take(track.FrameCount).ToArray()));
            offset += track.FrameCount;
        }
        var metrics = ExpressionMetrics.Compute(items.Select(i => i.Label).ToList(), guesses, net.Config.Classes);
        return new EvaluationResult(metrics, results, missing);
    }

    static (List<int> Guesses, int Missing) ClassifyImages(ExpressionNetwork net, IReadOnlyList<FrameItem> items,
        ImagePipelineOptions images, Device device, int batchSize, int workers,
        IProgress<(long Done, long Total)>? progress, CancellationToken ct)
    {
        RequireKind(net, ModelKind.Frame);
        var builder = new FrameBatchBuilder(images);
        var chunks = items.Chunk(batchSize).Select(c => (IReadOnlyList<FrameItem>)c).ToList();
        using var loader = new BatchLoader<IReadOnlyList<FrameItem>, FrameBatch>(
            chunks, (chunk, _) => builder.Build(chunk, PipelineMode.Evaluation),
            new BatchLoaderOptions { Workers = workers, Capacity = Math.Max(2, workers * 2) });
        var guesses = new List<int>(items.Count);
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = inference_mode();
            foreach (var batch in loader.Batches(ct))
            {
                using (batch)
                using (var scope = NewDisposeScope())
                    guesses.AddRange(net.forward(batch.Images.to(device)).argmax(-1).cpu().data<long>().ToArray().Select(l => (int)l));
                progress?.Report((guesses.Count, items.Count));
            }
        }
        finally
        {
            if (wasTraining) net.train();
        }
        return (guesses, (int)builder.Loader.MissingImages);
    }

    static void RequireKind(ExpressionNetwork net, ModelKind kind)
    {
        if (net.Kind != kind)
            throw new ArgumentException($"this evaluation needs a {kind.ToString().ToLowerInvariant()} model, got a {net.Kind.ToString().ToLowerInvariant()} model", nameof(net));
    }
}
