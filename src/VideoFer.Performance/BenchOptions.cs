namespace VideoFer.Performance;

/// <summary>The parts of <see cref="Bench"/> to run.</summary>
[Flags]
public enum BenchSections
{
    None = 0,
    Inference = 1,
    Train = 2,
    Ceiling = 4,
    Predict = 8,
    Memory = 16,
    All = Inference | Train | Ceiling | Predict | Memory,
}

/// <summary>What `videofer bench` measures and how.</summary>
public sealed record BenchOptions
{
    public BenchSections Sections { get; init; } = BenchSections.All;

    /// <summary>Backbones of the clip networks measured (each with CBAM and the BLSTM head).</summary>
    public IReadOnlyList<string> Archs { get; init; } = ["resnet18-cbam", "resnet50-cbam", "resnet101-cbam"];

    /// <summary>Clips per batch for inference (each of <see cref="ClipLength"/> frames).</summary>
    public IReadOnlyList<int> ClipBatches { get; init; } = [1, 4];

    /// <summary>Clips per batch of the training step.</summary>
    public int TrainClips { get; init; } = 4;

    public int ClipLength { get; init; } = 8;
    public int InputSize { get; init; } = 224;

    /// <summary>Intra-op threads of libtorch on both sides (0 = all cores).</summary>
    public int Threads { get; init; }

    public int Warmup { get; init; } = 2;
    public int Repeats { get; init; } = 3;
    public int TrainRepeats { get; init; } = 3;
    /// <summary>Runs of predict, and of the network alone, in the predict section.</summary>
    public int PredictRepeats { get; init; } = 2;

    /// <summary>Time the same weights in ONNX Runtime too (exported with `model export --onnx`).</summary>
    public bool OnnxRuntime { get; init; } = true;

    /// <summary>With <see cref="OnnxRuntime"/>: time the static int8 (QDQ) model of the same export too.</summary>
    public bool Int8 { get; init; } = true;

    /// <summary>How that int8 model is made: calibration method and the parts kept in float32.</summary>
    public Models.Onnx.QuantizationOptions Quantization { get; init; } = new();

    /// <summary>Run the PyTorch side (needs python3 with torch and reference/bench_pytorch.py).</summary>
    public bool PyTorch { get; init; } = true;
    public string Python { get; init; } = "/usr/bin/python3";
    /// <summary>reference/bench_pytorch.py; null: looked up from the working directory and the program's folder.</summary>
    public string? PyTorchScript { get; init; }

    /// <summary>The video of the predict and memory parts (e.g. tests/fixtures/media/Megamind.avi).</summary>
    public string? Video { get; init; }
    /// <summary>Backbone of the clip checkpoint that predict runs.</summary>
    public string PredictArch { get; init; } = "resnet101-cbam";

    /// <summary>Length and frame rate of the generated long video of the memory part.</summary>
    public double LongVideoMinutes { get; init; } = 60;
    public double LongVideoFps { get; init; } = 2;

    /// <summary>Where checkpoints, inputs, the long video and predict outputs go.</summary>
    public required string WorkDirectory { get; init; }

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
