using System.Collections;
using TorchSharp;
using VideoFer.Models;
using VideoFer.Models.Inference;
using VideoFer.Models.Summary;
using VideoFer.Models.Weights;
using VideoFer.Training.Optimization;
using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>VideoFer's side of the network measurements for one architecture: inference as trained
/// and optimized (<see cref="InferenceOptimizer"/>), and one SGD training step. Writes the weights and
/// inputs that the PyTorch side loads, so that both time the same network on the same data.</summary>
sealed class ClipNetworkBench(BenchOptions options, string arch)
{
    readonly ExpressionNetConfig _config = new() { Arch = arch, InputSize = options.InputSize, ClipLength = options.ClipLength };

    public string CheckpointPath => Path.Combine(options.WorkDirectory, $"{arch}.pth");
    public string InputsPath => Path.Combine(options.WorkDirectory, $"{arch}.inputs.pth");
    public double GmacsPerFrame => NetworkCost.ClipNetworkMacsPerFrame(_config) / 1e9;

    static string Key(int clips) => $"infer_{clips}";

    /// <summary>Random weights with random BN statistics (so that folding has something to fold), the
    /// inference inputs and the training batch, all from fixed seeds.</summary>
    public void WriteInputs()
    {
        WriteWeights();
        // The inputs continue the weights' random stream: the same values as when both were one step.
        var inputs = new Hashtable();
        int side = options.InputSize;
        foreach (int clips in options.ClipBatches)
            inputs[Key(clips)] = randn([clips, options.ClipLength, 3, side, side]);
        inputs["train_input"] = randn([options.TrainClips, options.ClipLength, 3, side, side]);
        inputs["train_labels"] = randint(0, _config.Classes, [options.TrainClips, options.ClipLength], dtype: int64);
        StateDictFile.WriteObject(InputsPath, inputs);
        foreach (DictionaryEntry e in inputs) ((Tensor)e.Value!).Dispose();
    }

    /// <summary>The random weights alone (what the predict section needs), from a fixed seed.</summary>
    public void WriteWeights()
    {
        manual_seed(1);
        using var net = new ExpressionNet(_config);
        using (no_grad())
            foreach (var (name, buffer) in net.named_buffers())
            {
                if (name.EndsWith("running_mean")) buffer.uniform_(-0.2, 0.2);
                else if (name.EndsWith("running_var")) buffer.uniform_(0.5, 2.0);
            }
        Checkpoint.Save(CheckpointPath, net);
    }

    public string OnnxPath => Path.Combine(options.WorkDirectory, $"{arch}.onnx");

    /// <summary>Times inference per batch size: the network as trained, optimized, and (with
    /// <see cref="BenchOptions.OnnxRuntime"/>) the same weights exported to ONNX in ONNX Runtime, their
    /// runs alternating so that a change in machine load hits all alike. Returns the timings and the
    /// optimized outputs (for the comparison with PyTorch).</summary>
    public IReadOnlyList<NetworkInference> Inference()
    {
        var inputs = StateDictFile.ReadObject(InputsPath);
        using var plain = Checkpoint.LoadClip(CheckpointPath).Model;
        using var optimized = Checkpoint.LoadClip(CheckpointPath).Model;
        plain.eval();
        InferenceOptimizer.Optimize(optimized);
        using var ort = options.OnnxRuntime ? ExportForOnnxRuntime() : null;
        // int8: the same export quantized (QDQ), calibrated on the bench's own inputs (random weights and
        // inputs: a speed figure only; agreement is measured on a trained model, docs/PERFORMANCE.md).
        using var int8 = options.OnnxRuntime && options.Int8 ? QuantizeForOnnxRuntime(inputs) : null;
        var results = new List<NetworkInference>();
        using (inference_mode())
            foreach (int clips in options.ClipBatches)
            {
                var x = (Tensor)inputs[Key(clips)]!;
                var output = optimized.forward(x);
                using var reference = plain.forward(x);
                using var ortInput = ort != null ? OnnxRuntimeSide.Input(x) : null;
                double? ortDiff = null;
                if (ort != null)
                    using (var ortOutput = ort.Output(ortInput!)) ortDiff = MaxAbsDiff(output, ortOutput);
                double? int8Diff = null;
                if (int8 != null)
                    using (var int8Output = int8.Output(ortInput!)) int8Diff = MaxAbsDiff(output, int8Output);
                var actions = new List<Action> { () => plain.forward(x).Dispose(), () => optimized.forward(x).Dispose() };
                if (ort != null) actions.Add(() => ort.Run(ortInput!));
                if (int8 != null) actions.Add(() => int8.Run(ortInput!));
                var t = Stopwatches.TimeAlternating(options.Warmup, options.Repeats, [.. actions]);
                results.Add(new NetworkInference(clips, t[0], t[1], ort != null ? t[2] : null, MaxAbsDiff(output, reference), ortDiff, output)
                {
                    OnnxRuntimeInt8 = int8 != null ? t[3] : null,
                    MaxDiffInt8 = int8Diff,
                });
            }
        foreach (DictionaryEntry e in inputs) (e.Value as Tensor)?.Dispose();
        return results;
    }

    /// <summary>The bench's weights as ONNX (batch norm folded by the exporter), loaded in ONNX Runtime
    /// with as many threads as libtorch has.</summary>
    OnnxRuntimeSide ExportForOnnxRuntime()
    {
        using (var net = Checkpoint.Load(CheckpointPath, expectedKind: ModelKind.Clip).Model)
            Models.Onnx.OnnxExporter.Export(net, OnnxPath);
        return new OnnxRuntimeSide(OnnxPath, options.EffectiveThreads);
    }

    /// <summary>The exported model as static int8 QDQ (<see cref="BenchOptions.Quantization"/>), calibrated on the
    /// bench's inference inputs, in its own ONNX Runtime session.</summary>
    OnnxRuntimeSide QuantizeForOnnxRuntime(Hashtable inputs)
    {
        var fp32 = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxPath));
        var calibration = options.ClipBatches.Select(c => (Tensor)inputs[Key(c)]!).ToList();
        var q = Models.Onnx.QdqQuantizer.Quantize(fp32, calibration, options.Quantization);
        string path = Path.Combine(options.WorkDirectory, $"{arch}.int8.onnx");
        using (var file = File.Create(path)) Google.Protobuf.MessageExtensions.WriteTo(q, file);
        return new OnnxRuntimeSide(path, options.EffectiveThreads);
    }

    /// <summary>Times zero_grad, forward, cross-entropy, backward and the SGD update (lr 1e-4, momentum 0.9),
    /// with the input layout `train` uses by default.</summary>
    public Timing TrainStep()
    {
        var inputs = StateDictFile.ReadObject(InputsPath);
        using var net = Checkpoint.LoadClip(CheckpointPath).Model;
        net.train();
        net.Backbone.ChannelsLastInput = new Training.Config.TrainConfig().ChannelsLast; // as `train` does
        using var optimizer = new MomentumSgd(net.parameters(), lr: 1e-4, momentum: 0.9);
        var x = (Tensor)inputs["train_input"]!;
        using var labels = ((Tensor)inputs["train_labels"]!).reshape(-1);
        var timing = Stopwatches.Time(() =>
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = nn.functional.cross_entropy(net.forward(x).reshape(-1, _config.Classes), labels);
            loss.backward();
            optimizer.Step();
        }, options.Warmup, options.TrainRepeats);
        foreach (DictionaryEntry e in inputs) (e.Value as Tensor)?.Dispose();
        return timing;
    }

    internal static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = (a - b).abs().max();
        return d.item<float>();
    }
}

/// <summary>One batch size of <see cref="ClipNetworkBench.Inference"/>; <see cref="Output"/> is the
/// optimized network's, for the caller to dispose.</summary>
sealed record NetworkInference(int Clips, Timing Unoptimized, Timing Optimized, Timing? OnnxRuntime,
    double MaxDiff, double? MaxDiffOnnxRuntime, Tensor Output)
{
    public Timing? OnnxRuntimeInt8 { get; init; }
    public double? MaxDiffInt8 { get; init; }
}
