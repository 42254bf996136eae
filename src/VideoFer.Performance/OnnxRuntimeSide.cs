using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>ONNX Runtime running the same network from the file `model export --onnx` writes (the
/// bench's weights, batch norm folded): what a .NET user would otherwise pick for inference.</summary>
sealed class OnnxRuntimeSide : IDisposable
{
    readonly InferenceSession _session;
    readonly RunOptions _run = new();

    /// <summary>The session settings of predict's and eval's ONNX Runtime engine (<see cref="Models.Engines.OnnxEngine"/>):
    /// graph optimisations on, <paramref name="threads"/> intra-op threads (libtorch's count), sequential execution,
    /// idle threads sleeping instead of spinning, as libtorch's do after a short spin (OpenMpWaiting): with runs
    /// alternating, a spinning pool would take the cores from the other engine.</summary>
    public OnnxRuntimeSide(string onnxPath, int threads)
    {
        using var options = Models.Engines.OnnxEngine.CreateSessionOptions(threads);
        _session = new InferenceSession(onnxPath, options);
    }

    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>A run's input, made once per batch so that timed runs only run the network.</summary>
    public static OrtValue Input(Tensor x) => OrtValue.CreateTensorValueFromMemory(x.contiguous().data<float>().ToArray(), x.shape);

    public void Run(OrtValue input) => RunOutputs(input).Dispose();

    /// <summary>The output as a tensor, for the comparison with VideoFer's.</summary>
    public Tensor Output(OrtValue input)
    {
        using var outputs = RunOutputs(input);
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(outputs[0].GetTensorTypeAndShape().Shape);
    }

    IDisposableReadOnlyCollection<OrtValue> RunOutputs(OrtValue input) =>
        _session.Run(_run, _session.InputNames, [input], _session.OutputNames);

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
