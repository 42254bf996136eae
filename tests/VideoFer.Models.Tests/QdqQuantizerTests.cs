using Microsoft.ML.OnnxRuntime;
using Onnx;
using VideoFer.Models.Onnx;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>What the int8 QDQ model holds, and what ONNX Runtime makes of it, for each choice of parts
/// kept in float32 (`--keep-fp32`).</summary>
public class QdqQuantizerTests
{
    // resnet18-cbam: conv1, 16 block convolutions and 3 downsamples; layer4 has 4 of the block ones and 1 downsample.
    const int BackboneConvs = 20, Layer4Convs = 5, ResidualAdds = 8;

    static readonly Lazy<ModelProto> Fp32 = new(() =>
    {
        manual_seed(3);
        using var net = new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18-cbam", LstmHidden = 16, FcHidden = 16, Dropout = 0 });
        net.eval();
        return OnnxExporter.Build(net);
    });

    static ModelProto Quantize(QuantizationOptions options)
    {
        manual_seed(4);
        var calibration = Enumerable.Range(0, 2).Select(_ => randn([1, 2, 3, 64, 64])).ToList();
        return QdqQuantizer.Quantize(Fp32.Value, calibration, options);
    }

    static int Int8ConvWeights(ModelProto m) =>
        m.Graph.Initializer.Count(i => i.DataType == (int)TensorProto.Types.DataType.Int8 && i.Dims.Count == 4);

    /// <summary>Residual additions whose inputs both come dequantized (what ONNX Runtime fuses into QLinearAdd).</summary>
    static int QuantizedAdds(ModelProto m)
    {
        var producers = m.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        return m.Graph.Node.Count(n => n.OpType == "Add" && n.Input.All(i => producers.TryGetValue(i, out var p) && p.OpType == "DequantizeLinear"));
    }

    /// <summary>Operators of the graph ONNX Runtime runs after its optimisations (QDQ fusions included).</summary>
    static Dictionary<string, int> OptimizedOps(ModelProto m)
    {
        using var dir = new TempDir();
        string path = dir.Combine("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
        using (new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(m), options)) { }
        return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public void EveryBackboneConvolutionAndResidualAddBecomesAnIntegerKernel()
    {
        var q = Quantize(new QuantizationOptions());
        Assert.Equal(BackboneConvs, Int8ConvWeights(q));
        Assert.Equal(ResidualAdds, QuantizedAdds(q));
        var ops = OptimizedOps(q);
        Assert.Equal(BackboneConvs, ops.GetValueOrDefault("QLinearConv"));
        Assert.Equal(ResidualAdds, ops.GetValueOrDefault("QLinearAdd"));
        // What stays float32: CBAM's 7x7 spatial-gate convolution, one per block.
        Assert.All(q.Graph.Node.Where(n => n.OpType == "Conv" && !n.Input[1].EndsWith("_dequantized")), n => Assert.Contains(".cbam.", n.Input[1]));
    }

    [Theory]
    [InlineData("first-conv", BackboneConvs - 1, ResidualAdds)]
    [InlineData("last-stage", BackboneConvs - Layer4Convs, ResidualAdds - 2)] // layer4's two additions have float32 inputs
    [InlineData("residual-adds", BackboneConvs, 0)]
    [InlineData("first-conv,last-stage,residual-adds", BackboneConvs - 1 - Layer4Convs, 0)]
    public void PartsKeptInFloat32StayFloat32(string parts, int int8Convs, int quantizedAdds)
    {
        var options = new QuantizationOptions().WithFloatParts(parts);
        var q = Quantize(options);
        Assert.Equal(int8Convs, Int8ConvWeights(q));
        Assert.Equal(quantizedAdds, QuantizedAdds(q));
        Assert.Equal(int8Convs, OptimizedOps(q).GetValueOrDefault("QLinearConv"));
        Assert.Contains(parts.Split(',')[0] switch { "first-conv" => "first conv fp32", "last-stage" => "layer4 fp32", _ => "residual adds fp32" }, options.Describe());
        if (parts.StartsWith("first-conv"))
            Assert.Contains(q.Graph.Node, n => n.OpType == "Conv" && n.Input[1].EndsWith("backbone.conv1.weight"));
    }

    [Fact]
    public void AnUnknownPartIsRefusedByName()
    {
        var e = Assert.Throws<VideoFerException>(() => new QuantizationOptions().WithFloatParts("first-conv,cbam"));
        Assert.Equal("unknown part to keep in float32: 'cbam' (known: first-conv, last-stage, residual-adds)", e.Message);
        Assert.Equal(new QuantizationOptions(), new QuantizationOptions().WithFloatParts(""));
    }
}
