using VideoFer.Inference.Predictors;
using VideoFer.Models.Runtime;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference;

/// <summary>How an <see cref="ExpressionAnalyzer"/> finds faces and treats their probabilities.</summary>
public sealed record ExpressionAnalyzerOptions
{
    /// <summary>Each track's probabilities are averaged over its own detections within ±this many frames
    /// (0 = off); see <see cref="TemporalSmoothing"/>.</summary>
    public int SmoothingRadius { get; init; } = TemporalSmoothing.DefaultRadius;

    /// <summary>Face detection (tiles for small faces, the model folder) and tracking.</summary>
    public FacePipelineOptions Faces { get; init; } = new();

    /// <summary>Where a checkpoint's network runs: cpu, cuda, cuda:N or auto (the default model runs on the CPU).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>For a checkpoint: resize aligned faces to this side instead of the one it was trained with.</summary>
    public int? BaseSize { get; init; }

    /// <summary>For a checkpoint: libtorch or ONNX Runtime, fp32 or int8 (default: auto, fp32; see <see cref="Models.Engines.EngineRule"/>).</summary>
    public Models.Engines.EngineOptions Engine { get; init; } = new();

    /// <summary>Linking face tracks into people (on by default; <see cref="PeopleOptions.Enabled"/> false for tracks only).</summary>
    public People.PeopleOptions People { get; init; } = new();
}

/// <summary>Frames done so far of a video's frame count (<see cref="Total"/> is the container's count,
/// raised to <see cref="Done"/> when a video holds more frames than it declares).</summary>
public readonly record struct AnalysisProgress(int Done, int Total);

/// <summary>The library's front door: the facial expression of every face in every frame of a video, a
/// folder of frame images or an image, as <c>videofer predict</c> computes it (the CLI goes through this class).
/// <code>
/// using var analyzer = ExpressionAnalyzer.CreateDefault();
/// var result = analyzer.Analyze("video.mp4");
/// </code>
/// The analyzer loads its model once and can analyse many videos, one at a time (concurrent calls wait for
/// each other). Errors in the input (a missing or unreadable file) are <see cref="VideoFerException"/>s
/// whose message names the file.</summary>
public sealed class ExpressionAnalyzer : IDisposable
{
    readonly IExpressionPredictor _model;
    readonly ExpressionAnalyzerOptions _options;
    readonly VideoPredictor _pipeline;
    readonly Lock _gate = new();

    /// <summary>Before the first analyzer loads libtorch, as the CLI does at start: its idle OpenMP threads spin
    /// briefly instead of taking the core the face pipeline needs (unless the program set GOMP_SPINCOUNT or
    /// OMP_WAIT_POLICY; without it the default model ran Megamind.avi 3.7 times slower on 2 busy cores, 54 s
    /// against 14.5 s), and libtorch logs errors only (unless TORCH_CPP_LOG_LEVEL is set), not an NNPACK
    /// warning per convolution on CPUs NNPACK does not support.</summary>
    static ExpressionAnalyzer()
    {
        OpenMpWaiting.UseShortSpin();
        TorchLog.ErrorsOnly();
    }

    /// <summary>Analyses with <paramref name="model"/>, which the analyzer owns and disposes.</summary>
    public ExpressionAnalyzer(IExpressionPredictor model, ExpressionAnalyzerOptions? options = null)
    {
        _model = model;
        _options = Checked(options);
        _pipeline = new VideoPredictor(_model, _options.Faces, _options.People);
    }

    /// <summary>The embedded default model, per frame, on the CPU (docs/DEFAULT_MODEL.md), with the model files of
    /// the VideoFer.Models.Data package.</summary>
    public static ExpressionAnalyzer CreateDefault(ExpressionAnalyzerOptions? options = null) => Create(ModelChoice.Default, options);

    /// <summary>A trained checkpoint of the paper's clip network (ResNet-CBAM + BLSTM), run on 8-frame clips of
    /// each track with the preprocessing stored in the checkpoint.</summary>
    public static ExpressionAnalyzer FromCheckpoint(string checkpoint, ExpressionAnalyzerOptions? options = null) =>
        Create(ModelChoice.Parse(checkpoint), options);

    /// <summary>The model <paramref name="model"/> names (<see cref="ModelChoice.Parse"/>: "default", "faceapi+human",
    /// "faceapi+flip", a checkpoint path, ...).</summary>
    public static ExpressionAnalyzer Create(ModelChoice model, ExpressionAnalyzerOptions? options = null)
    {
        options = Checked(options);
        return new ExpressionAnalyzer(model.Open(TorchRuntime.ResolveDevice(options.Device), options.BaseSize, options.Engine), options);
    }

    /// <summary>One line naming the model and its input.</summary>
    public string ModelDescription => _model.Description;

    /// <summary>The classes of every probability vector, in their order (ABAW order: Neutral, Anger, Disgust,
    /// Fear, Happiness, Sadness, Surprise, and Other for 8-class checkpoints).</summary>
    public IReadOnlyList<string> ClassNames => _model.ClassNames;

    /// <summary>Analyses <paramref name="path"/> (a video file, a folder of frame images, or one image).
    /// <paramref name="progress"/> hears after every frame; <paramref name="cancellationToken"/> stops the work
    /// between frames with an <see cref="OperationCanceledException"/>.</summary>
    public ExpressionAnalysis Analyze(string path, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var frames = progress is null ? null : new Progress(progress);
        lock (_gate) // the model holds per-video state (the clip model's pending clips)
            return new ExpressionAnalysis(_pipeline.Run(path, _options.SmoothingRadius, frames, cancellationToken));
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _model.Dispose();
    }

    /// <summary>Options refused before a model is loaded or a frame read, not after the work.</summary>
    static ExpressionAnalyzerOptions Checked(ExpressionAnalyzerOptions? options)
    {
        options ??= new ExpressionAnalyzerOptions();
        TemporalSmoothing.CheckRadius(options.SmoothingRadius);
        options.People.Check();
        return options;
    }

    /// <summary>Passes the pipeline's reports on synchronously (a <see cref="Progress{T}"/> would post them).</summary>
    sealed class Progress(IProgress<AnalysisProgress> inner) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => inner.Report(new AnalysisProgress(value.Done, value.Total));
    }
}
