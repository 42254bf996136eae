using System.Text.Json.Serialization;
using VideoFer.Models.Runtime;

namespace VideoFer.Performance;

/// <summary>Summary of repeated timings, in seconds.</summary>
public sealed record Timing(double Median, double Min, double Max, int Repeats)
{
    public static Timing Of(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0) throw new ArgumentException("no timings", nameof(seconds));
        var sorted = seconds.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Timing(median, sorted[0], sorted[^1], sorted.Length);
    }
}

/// <summary>Inference of one clip network on one batch size.</summary>
public sealed record InferenceResult(
    string Arch, int Clips, int Frames,
    [property: JsonPropertyName("videofer")] Timing VideoFer,
    [property: JsonPropertyName("videofer_unoptimized")] Timing VideoFerUnoptimized,
    [property: JsonPropertyName("pytorch")] Timing? PyTorch,
    double MaxDiffOptimizedVsUnoptimized, [property: JsonPropertyName("max_diff_vs_pytorch")] double? MaxDiffVsPyTorch, double GmacsPerFrame)
{
    public double FramesPerSecond => Frames / VideoFer.Median;
    public double UnoptimizedFramesPerSecond => Frames / VideoFerUnoptimized.Median;
    [JsonPropertyName("pytorch_frames_per_second")]
    public double? PyTorchFramesPerSecond => PyTorch is null ? null : Frames / PyTorch.Median;
    /// <summary>VideoFer frames/s over PyTorch's.</summary>
    public double? Speedup => PyTorch is null ? null : PyTorch.Median / VideoFer.Median;
    public double LatencyMs => VideoFer.Median * 1000;

    /// <summary>The same weights exported to ONNX, in ONNX Runtime (graph optimisations on, the same threads).</summary>
    [JsonPropertyName("onnxruntime")]
    public Timing? OnnxRuntime { get; init; }
    [JsonPropertyName("max_diff_vs_onnxruntime")]
    public double? MaxDiffVsOnnxRuntime { get; init; }
    [JsonPropertyName("onnxruntime_frames_per_second")]
    public double? OnnxRuntimeFramesPerSecond => OnnxRuntime is null ? null : Frames / OnnxRuntime.Median;
    /// <summary>VideoFer frames/s over ONNX Runtime's.</summary>
    [JsonPropertyName("speedup_vs_onnxruntime")]
    public double? SpeedupVsOnnxRuntime => OnnxRuntime is null ? null : OnnxRuntime.Median / VideoFer.Median;

    /// <summary>The same export as static int8 (QDQ, per-channel weights, calibrated on the bench's inputs) in ONNX Runtime.</summary>
    [JsonPropertyName("onnxruntime_int8")]
    public Timing? OnnxRuntimeInt8 { get; init; }
    /// <summary>Max |logit difference| int8 vs VideoFer fp32 on random weights and inputs: informative only
    /// (agreement is measured on a trained model).</summary>
    [JsonPropertyName("max_diff_int8_random_weights")]
    public double? MaxDiffInt8 { get; init; }
    [JsonPropertyName("onnxruntime_int8_frames_per_second")]
    public double? OnnxRuntimeInt8FramesPerSecond => OnnxRuntimeInt8 is null ? null : Frames / OnnxRuntimeInt8.Median;
    /// <summary>ONNX Runtime int8 frames/s over ONNX Runtime fp32's (the target: at least 1.25).</summary>
    [JsonPropertyName("int8_speedup_vs_onnxruntime")]
    public double? Int8SpeedupVsOnnxRuntime => OnnxRuntimeInt8 is null || OnnxRuntime is null ? null : OnnxRuntime.Median / OnnxRuntimeInt8.Median;
    /// <summary>ONNX Runtime int8 frames/s over VideoFer fp32's.</summary>
    [JsonPropertyName("int8_speedup_vs_videofer")]
    public double? Int8SpeedupVsVideoFer => OnnxRuntimeInt8 is null ? null : VideoFer.Median / OnnxRuntimeInt8.Median;

    /// <summary>The faster of the peers measured (PyTorch, ONNX Runtime), and VideoFer over it.</summary>
    public string? BestPeer => PyTorch is null && OnnxRuntime is null ? null
        : OnnxRuntime is null || (PyTorch is not null && PyTorch.Median < OnnxRuntime.Median) ? "pytorch" : "onnxruntime";
    public double? SpeedupVsBestPeer => BestPeer == "pytorch" ? Speedup : BestPeer == "onnxruntime" ? SpeedupVsOnnxRuntime : null;
    public double GflopsPerSecond => 2 * GmacsPerFrame * FramesPerSecond;
}

/// <summary>One SGD step of the clip network (forward, loss, backward, update).</summary>
public sealed record TrainStepResult(string Arch, int Clips, int Frames,
    [property: JsonPropertyName("videofer")] Timing VideoFer, [property: JsonPropertyName("pytorch")] Timing? PyTorch)
{
    public double? Speedup => PyTorch is null ? null : PyTorch.Median / VideoFer.Median;
}

/// <summary>A large float32 matrix product: what this CPU does at best through libtorch.</summary>
public sealed record CeilingResult(int Size, double Gflops, [property: JsonPropertyName("pytorch_gflops")] double? PyTorchGflops);

/// <summary>End-to-end predict (decode, detect, track, align, classify) with a clip checkpoint:
/// the best of its runs (<see cref="Runs"/>), and the best of the network alone's.</summary>
public sealed record PredictResult(
    string Video, string Arch, int Frames, int Faces, double Seconds,
    double BackboneFramesPerSecond, double FacePipelineFramesPerSecond, double DefaultModelFramesPerSecond,
    IReadOnlyList<PredictRun> Runs)
{
    public double FramesPerSecond => Frames / Seconds;
    public double FacesPerSecond => Faces / Seconds;
    /// <summary>Faces classified per second over the network's own frames/s, alone on as many
    /// one-clip batches as predict runs.</summary>
    public double FractionOfBackbone => FacesPerSecond / BackboneFramesPerSecond;

    /// <summary>Predict with the default model and --people off (<see cref="DefaultModelFramesPerSecond"/> links people).</summary>
    public double DefaultModelNoPeopleFramesPerSecond { get; init; }

    /// <summary>The share of the default model's frames/s that linking people costs.</summary>
    public double PeopleCost => DefaultModelNoPeopleFramesPerSecond > 0 ? 1 - DefaultModelFramesPerSecond / DefaultModelNoPeopleFramesPerSecond : 0;
}

/// <summary>One predict run and the network-alone run before it (<see cref="NetworkFrames"/> frames).</summary>
public sealed record PredictRun(double PredictSeconds, double NetworkSeconds, int NetworkFrames);

/// <summary>Peak resident memory of a `videofer predict` process.</summary>
public sealed record MemoryRun(string Video, double DurationSeconds, int Frames, [property: JsonPropertyName("peak_resident_mib")] double PeakResidentMiB, double Seconds);

public sealed record MemoryResult(MemoryRun Short, MemoryRun Long)
{
    /// <summary>Long run's peak over the short run's.</summary>
    public double Ratio => Long.PeakResidentMiB / Short.PeakResidentMiB;
}

public sealed record MachineInfo(string Cpu, int Cores, int Threads, string LibTorch, [property: JsonPropertyName("torchsharp")] string TorchSharp, [property: JsonPropertyName("pytorch")] string? PyTorch, string Os)
{
    [JsonPropertyName("onnxruntime")]
    public string? OnnxRuntime { get; init; }

    /// <summary>The CPU's model and vector features (AVX2, AVX-512, VNNI, AMX): they decide the ratios.</summary>
    [JsonPropertyName("cpu_features")]
    public CpuFeatures? CpuFeatures { get; init; }

    /// <summary>The kernel self-check at the bench's thread count: a figure from a CPU that computes a kernel
    /// wrong says so beside it.</summary>
    [JsonPropertyName("kernels")]
    public IReadOnlyList<KernelVerdict>? Kernels { get; init; }
}

public sealed record BenchReport(
    MachineInfo Machine, DateTimeOffset Date, int InputSize, int ClipLength,
    IReadOnlyList<InferenceResult> Inference, IReadOnlyList<TrainStepResult> Train,
    CeilingResult? Ceiling, PredictResult? Predict, MemoryResult? Memory, IReadOnlyList<string> Errors)
{
    /// <summary>How the int8 model was made (calibration, parts kept in float32); null when int8 was not timed.</summary>
    [JsonPropertyName("int8_quantization")]
    public string? Int8Quantization { get; init; }
}
