namespace VideoFer.Models.Engines;

/// <summary>What --engine auto picks, a fixed rule from the bench (docs/PERFORMANCE.md, "The engine per
/// case"): int8 runs in ONNX Runtime (libtorch has no int8 path here); a GPU device stays with libtorch
/// (ONNX Runtime is the CPU package); on the CPU, ONNX Runtime, which measured ahead of or level with
/// libtorch for every backbone and batch measured (resnet18/101-cbam, 1 and 4 clips) on both machines
/// the figures come from (an AVX2 EPYC: ahead by 10-18% at 1 clip, parity at 4; an AVX-512/AMX Xeon:
/// ahead at every size).</summary>
public static class EngineRule
{
    /// <summary>The engine to run; refuses combinations that cannot work, naming the options.</summary>
    public static InferenceEngine Resolve(InferenceEngine requested, Precision precision, bool cpuDevice)
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
        return cpuDevice ? InferenceEngine.Onnx : InferenceEngine.Torch;
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
