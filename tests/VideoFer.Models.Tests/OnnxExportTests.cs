using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using VideoFer.Models.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The exported ONNX models, run by ONNX Runtime (an independent implementation of every
/// layer), give VideoFer's own outputs of the network as trained (batch norm not folded).</summary>
public class OnnxExportTests(ITestOutputHelper log)
{
    const double Tolerance = 1e-4;

    [Theory]
    [InlineData("resnet18-cbam", 64)]
    [InlineData("resnet50-cbam", 64)]
    public void ClipModelMatchesOnnxRuntime(string arch, int side)
    {
        using var net = RandomNetwork(new ExpressionNet(Config(arch)));
        // Two batch shapes through one file: batch and time are dynamic.
        using var a = randn([2, 3, 3, side, side]);
        using var b = randn([1, 5, 3, side + 32, side]);
        using var expectedA = Forward(net, a);
        using var expectedB = Forward(net, b);
        var model = OnnxExporter.Build(net).ToByteArray();
        double diffA = MaxAbsDiff(expectedA, RunOrt(model, "clips", a));
        double diffB = MaxAbsDiff(expectedB, RunOrt(model, "clips", b));
        log.WriteLine($"{arch} clip model: max |VideoFer - ORT| {diffA:0.0e0} (2x3 clips), {diffB:0.0e0} (1x5 clip); outputs up to {expectedA.abs().max().item<float>():0.00}");
        Assert.InRange(diffA, 0, Tolerance);
        Assert.InRange(diffB, 0, Tolerance);
    }

    /// <summary>The multi-task heads (ABAW's valence-arousal with its tanh, action units) export beside the expression
    /// classifier or without it, in the network's output order.</summary>
    [Theory]
    [InlineData("expr,va,au", 7 + 2 + 4)]
    [InlineData("va,au", 2 + 4)]
    [InlineData("expr,va", 7 + 2)]
    public void MultiTaskClipModelMatchesOnnxRuntime(string tasks, int width)
    {
        var config = Config("resnet18-cbam") with { Tasks = tasks, ActionUnits = tasks.Contains("au") ? ["AU1", "AU4", "AU12", "AU25"] : [] };
        using var net = RandomNetwork(new ExpressionNet(config));
        using var x = randn([2, 3, 3, 64, 64]);
        using var expected = Forward(net, x);
        Assert.Equal(width, expected.shape[2]);
        Assert.Equal(width, config.Outputs.Width);
        if (config.Outputs.HasValenceArousal)
            Assert.True(expected.narrow(2, config.Outputs.ValenceArousalStart, 2).abs().max().item<float>() <= 1f);
        double diff = MaxAbsDiff(expected, RunOrt(OnnxExporter.Build(net).ToByteArray(), "clips", x));
        log.WriteLine($"{tasks}: max |VideoFer - ORT| {diff:0.0e0}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Theory]
    [InlineData("resnet18-cbam")]
    [InlineData("resnet50")]
    public void FrameModelMatchesOnnxRuntime(string arch)
    {
        using var net = RandomNetwork(new FrameExpressionNet(Config(arch)));
        using var x = randn([3, 3, 64, 64]);
        using var expected = Forward(net, x);
        double diff = MaxAbsDiff(expected, RunOrt(OnnxExporter.Build(net).ToByteArray(), "images", x));
        log.WriteLine($"{arch} frame model: max |VideoFer - ORT| {diff:0.0e0}; outputs up to {expected.abs().max().item<float>():0.00}");
        Assert.InRange(diff, 0, Tolerance);
    }

    /// <summary>The check can fail: PyTorch's LSTM gate order left in the graph (forget and output
    /// gates swapped), or a batch-norm shift folded wrongly (one convolution's bias off by 0.5), gives
    /// outputs that miss VideoFer's by over ten times the tolerance.</summary>
    [Theory]
    [InlineData("lstm-gates")]
    [InlineData("conv-bias")]
    public void PerturbedGraphFailsTheComparison(string perturbation)
    {
        using var net = RandomNetwork(new ExpressionNet(Config("resnet18-cbam")));
        using var x = randn([1, 3, 3, 64, 64]);
        using var expected = Forward(net, x);
        var proto = OnnxExporter.Build(net);
        var init = proto.Graph.Initializer.Single(t => t.Name == (perturbation == "lstm-gates" ? "temporal.l0.W" : "backbone.layer4.1.conv2.bias"));
        var values = new float[init.RawData.Length / sizeof(float)];
        Buffer.BlockCopy(init.RawData.ToByteArray(), 0, values, 0, init.RawData.Length);
        if (perturbation == "lstm-gates")
        {
            // Each direction's rows are (i, o, f, c) blocks of H rows: swap o and f back.
            int block = values.Length / 8;
            for (int d = 0; d < 2; d++)
                for (int k = 0; k < block; k++)
                    (values[d * 4 * block + block + k], values[d * 4 * block + 2 * block + k]) =
                        (values[d * 4 * block + 2 * block + k], values[d * 4 * block + block + k]);
        }
        else for (int i = 0; i < values.Length; i++) values[i] += 0.5f;
        var bytes = new byte[init.RawData.Length];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        init.RawData = ByteString.CopyFrom(bytes);
        double diff = MaxAbsDiff(expected, RunOrt(proto.ToByteArray(), "clips", x));
        log.WriteLine($"{perturbation}: max |VideoFer - ORT| {diff:0.0e0}");
        Assert.True(diff > 10 * Tolerance, $"the perturbed graph still matched ({diff:0.0e0})");
    }

    [Fact]
    public void ExportWritesAFileOrtLoads()
    {
        using var dir = new TempDir();
        using var net = RandomNetwork(new FrameExpressionNet(Config("resnet18")));
        string path = Path.Combine(dir.Path, "frame.onnx");
        OnnxExporter.Export(net, path);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(OnnxExporter.Opset, model.OpsetImport.Single().Version);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        using var session = new InferenceSession(path);
        Assert.Equal(["images"], session.InputNames);
        Assert.Equal(-1, session.InputMetadata["images"].Dimensions[0]); // dynamic batch
    }

    static ExpressionNetConfig Config(string arch) => new() { Arch = arch, LstmHidden = 64, FcHidden = 32, Dropout = 0 };

    /// <summary>Random batch-norm statistics and affine parameters, so that a wrongly folded or
    /// misplaced layer changes the outputs; eval mode.</summary>
    static T RandomNetwork<T>(T net) where T : nn.Module
    {
        manual_seed(7);
        using (no_grad())
            foreach (var (name, t) in net.named_buffers().Concat(net.named_parameters().Select(p => (p.name, (Tensor)p.parameter))))
            {
                if (name.EndsWith("running_mean")) t.uniform_(-0.2, 0.2);
                else if (name.EndsWith("running_var")) t.uniform_(0.5, 2.0);
                else if (IsBatchNorm(name) && name.EndsWith(".weight")) t.uniform_(0.5, 1.5);
                else if (IsBatchNorm(name) && name.EndsWith(".bias")) t.uniform_(-0.2, 0.2);
            }
        net.eval();
        return net;
    }

    static bool IsBatchNorm(string name) => name.Contains(".bn") || name.Contains("downsample.1.");

    static Tensor Forward(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        using var _ = inference_mode();
        return net.forward(x);
    }

    static (float[] Values, long[] Shape) RunOrt(byte[] model, string input, Tensor x)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(x.contiguous().data<float>().ToArray(), x.shape);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [input], [value], session.OutputNames);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape);
    }

    static double MaxAbsDiff(Tensor expected, (float[] Values, long[] Shape) actual)
    {
        Assert.Equal(expected.shape, actual.Shape);
        using var other = tensor(actual.Values).reshape(actual.Shape);
        return (expected - other).abs().max().item<float>();
    }
}
