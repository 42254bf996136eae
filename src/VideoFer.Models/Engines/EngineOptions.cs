using VideoFer.Models.Onnx;
using static TorchSharp.torch;

namespace VideoFer.Models.Engines;

/// <summary>Where and how a checkpoint's network runs (predict's and eval's --engine, --precision, --calibrate).</summary>
public sealed record EngineOptions
{
    public InferenceEngine Engine { get; init; } = InferenceEngine.Auto;
    public Precision Precision { get; init; } = Precision.Float32;
    public QuantizationOptions Quantization { get; init; } = new();

    /// <summary>With int8: a folder of face crops to calibrate on; null: the input's own first faces.</summary>
    public string? CalibrationFolder { get; init; }

    /// <summary>With int8 and no folder: how many of the input's faces to calibrate on before the first prediction.</summary>
    public int CalibrationFaces { get; init; } = 64;
}

/// <summary>Builds the engine for a loaded network (which it takes over).</summary>
public static class NetworkEngines
{
    /// <summary>The network in libtorch (optimized: BN folded, eval) or as ONNX in ONNX Runtime (fp32, or
    /// int8 calibrated on <paramref name="calibration"/>: inputs of the network's input shape).</summary>
    public static NetworkEngine Create(ExpressionNetwork network, InferenceEngine engine, Precision precision,
        Func<IEnumerable<Tensor>>? calibration = null, QuantizationOptions? quantization = null)
    {
        if (engine == InferenceEngine.Torch)
        {
            Inference.InferenceOptimizer.Optimize(network);
            return new TorchEngine(network);
        }
        using (network)
        {
            var fp32 = OnnxExporter.Build(network);
            if (precision == Precision.Float32) return new OnnxEngine(fp32, "ONNX Runtime fp32");
            return Int8(fp32, calibration?.Invoke() ?? throw new ArgumentNullException(nameof(calibration)), quantization);
        }
    }

    /// <summary>The int8 engine of an exported fp32 model.</summary>
    public static OnnxEngine Int8(global::Onnx.ModelProto fp32, IEnumerable<Tensor> calibration, QuantizationOptions? quantization = null)
    {
        quantization ??= new QuantizationOptions();
        return new OnnxEngine(QdqQuantizer.Quantize(fp32, calibration, quantization), $"ONNX Runtime int8 ({quantization.Describe()})");
    }
}
