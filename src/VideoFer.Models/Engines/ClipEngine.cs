using Microsoft.ML.OnnxRuntime;
using Onnx;
using Google.Protobuf;
using VideoFer.Models.Onnx;
using static TorchSharp.torch;

namespace VideoFer.Models.Engines;

/// <summary>Which runtime runs a clip or frame network: libtorch through TorchSharp, or ONNX Runtime on
/// an in-memory export of the same weights (<see cref="OnnxExporter"/>). Auto follows <see cref="EngineRule"/>.</summary>
public enum InferenceEngine { Auto, Torch, Onnx }

/// <summary>The arithmetic of the network: float32, or static int8 (ONNX Runtime only; see <see cref="QdqQuantizer"/>).</summary>
public enum Precision { Float32, Int8 }

/// <summary>A loaded network that maps a batch to logits: clips (B, T, 3, H, W) -> (B, T, classes) for
/// a clip model, images (N, 3, H, W) -> (N, classes) for a frame model. Inputs and outputs are CPU
/// float32 tensors except for a torch engine on another device.</summary>
public abstract class NetworkEngine : IDisposable
{
    /// <summary>"libtorch", "ONNX Runtime fp32", "ONNX Runtime int8 (...)".</summary>
    public abstract string Name { get; }

    public abstract Tensor Logits(Tensor input);

    public abstract void Dispose();
}

/// <summary>The network in libtorch (as loaded and optimized by the caller).</summary>
public sealed class TorchEngine(ExpressionNetwork network) : NetworkEngine
{
    public ExpressionNetwork Network => network;
    public override string Name => "libtorch";
    public override Tensor Logits(Tensor input) => network.forward(input);
    public override void Dispose() => network.Dispose();
}

/// <summary>The network as an ONNX model in one ONNX Runtime session: graph optimisations on, the
/// intra-op threads libtorch has (so both engines use the machine alike), sequential execution. Idle
/// threads sleep instead of spinning, as libtorch's do after a short spin (OpenMpWaiting) and as in
/// `videofer bench`, whose figures choose the engine: between two batches the face pipeline needs the cores.</summary>
public sealed class OnnxEngine : NetworkEngine
{
    readonly InferenceSession _session;
    readonly RunOptions _run = new();
    readonly string _input, _output;

    public OnnxEngine(ModelProto model, string name, int? threads = null)
    {
        Name = name;
        using var options = CreateSessionOptions(threads ?? get_num_threads());
        _session = new InferenceSession(model.ToByteArray(), options);
        _input = _session.InputNames[0];
        _output = _session.OutputNames[0];
    }

    /// <summary>The session settings above, for <paramref name="threads"/> intra-op threads: `videofer bench` times ONNX
    /// Runtime with the same ones, so that its figures are those of this engine. The caller disposes them.</summary>
    public static SessionOptions CreateSessionOptions(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public override string Name { get; }

    public override Tensor Logits(Tensor input)
    {
        using var cpu = input.to(float32).cpu().contiguous();
        using var value = OrtValue.CreateTensorValueFromMemory(cpu.data<float>().ToArray(), cpu.shape);
        using var outputs = _session.Run(_run, [_input], [value], [_output]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(shape);
    }

    public override void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
