namespace VideoFer.Models.Engines;

/// <summary>What --engine auto picks, a fixed rule from the bench (docs/PERFORMANCE.md, "The engine per
/// case"): int8 runs in ONNX Runtime (libtorch has no int8 path here); a GPU device stays with libtorch
/// (ONNX Runtime is the CPU package); on the CPU, ONNX Runtime for batches of at most
/// <see cref="OnnxMaxClips"/> clips, where it measured ahead of libtorch for every backbone (predict
/// sends a track's clip as soon as it fills: one clip, or a few when faces fill together), and libtorch
/// for larger batches (eval's 8 clips), where the two measured at parity and libtorch needs no export.</summary>
public static class EngineRule
{
    public const int OnnxMaxClips = 2;

    /// <summary>The engine to run; refuses combinations that cannot work, naming the options.</summary>
    public static InferenceEngine Resolve(InferenceEngine requested, Precision precision, bool cpuDevice, int clipsPerBatch)
    {
        if (precision == Precision.Int8)
        {
            if (requested == InferenceEngine.Torch)
                throw new VideoFerException("--precision int8 runs in ONNX Runtime only: use --engine onnx or auto, not --engine torch");
            if (!cpuDevice)
                throw new VideoFerException("--precision int8 runs on the CPU (ONNX Runtime): use --device cpu");
            return InferenceEngine.Onnx;
        }
        if (requested == InferenceEngine.Onnx && !cpuDevice)
            throw new VideoFerException("--engine onnx runs on the CPU (the ONNX Runtime CPU package): use --device cpu, or --engine torch for a GPU");
        if (requested != InferenceEngine.Auto) return requested;
        return cpuDevice && clipsPerBatch <= OnnxMaxClips ? InferenceEngine.Onnx : InferenceEngine.Torch;
    }

    /// <summary>"torch", "onnx" or "auto" as an engine (the CLI's parser checks the value first).</summary>
    public static InferenceEngine Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "torch" => InferenceEngine.Torch,
        "onnx" => InferenceEngine.Onnx,
        "auto" => InferenceEngine.Auto,
        _ => throw new VideoFerException($"--engine {value}: expected torch, onnx or auto"),
    };

    public static Precision ParsePrecision(string value) => value.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Float32,
        "int8" => Precision.Int8,
        _ => throw new VideoFerException($"--precision {value}: expected fp32 or int8"),
    };
}
