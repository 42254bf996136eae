using TorchSharp;
using VideoFer.Models.Backbones;
using VideoFer.Models.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The C# networks load PyTorch weights and reproduce PyTorch 1.13's outputs in eval mode
/// (reference/make_parity_fixtures.py builds torchvision resnets and an independent Python CBAM/BLSTM).</summary>
[Collection("parity")]
public class ParityTests(ParityFixtures fixtures, ITestOutputHelper log)
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("resnet18-cbam")]
    [InlineData("resnet50-cbam")]
    public void ResNetClassifierMatchesTorchvision(string arch)
    {
        using var net = new ResNet(ResNetSpec.Parse(arch), numClasses: 1000);
        var report = WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_(arch + ".pth")), arch);
        Assert.True(report.IsExact);
        AssertMatches(net, arch);
    }

    [Fact]
    public void CbamModuleMatchesIndependentPythonCbam()
    {
        using var cbam = new Cbam(64);
        WeightLoader.Load(cbam, StateDictFile.ReadStateDict(fixtures.File_("cbam64.pth")), "cbam64");
        AssertMatches(cbam, "cbam64");
    }

    [Fact]
    public void ClipModelMatchesPyTorch()
    {
        var config = new ExpressionNetConfig { Arch = "resnet18-cbam", Classes = 7, LstmHidden = 64, FcHidden = 32 };
        using var net = new ExpressionNet(config);
        WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_("clip-resnet18-cbam.pth")), "clip");
        AssertMatches(net, "clip-resnet18-cbam", backbone: net.Backbone);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void PapersNetworkResNet101CbamBlstmMatchesPyTorch()
    {
        using var net = new ExpressionNet(new ExpressionNetConfig()); // the defaults: resnet101-cbam, 512x2 BLSTM
        WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_("clip-resnet101-cbam.pth")), "clip101");
        AssertMatches(net, "clip-resnet101-cbam", backbone: net.Backbone);
        Assert.Equal(104 + 33, Inference.InferenceOptimizer.Optimize(net)); // backbone BNs + one per CBAM
        AssertMatches(net, "clip-resnet101-cbam", backbone: net.Backbone);
    }

    [Fact]
    public void FrameModelMatchesPyTorch()
    {
        var config = new ExpressionNetConfig { Arch = "resnet18-cbam", Classes = 8, FcHidden = 32 };
        using var net = new FrameExpressionNet(config);
        WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_("frame-resnet18-cbam.pth")), "frame");
        AssertMatches(net, "frame-resnet18-cbam", backbone: net.Backbone);
    }

    /// <summary>The inference rewrite as predict and eval use it (BN folded, NCHW) keeps PyTorch's outputs,
    /// and the unoptimised network's, within the parity tolerance. Channels-last is opt-in and not checked
    /// here: its oneDNN kernels give wrong numbers (ResNet-18, 9e-3 on clip logits) or crash (ResNet-50)
    /// on some CPUs (InferenceOptions.ChannelsLast).</summary>
    [Theory]
    [InlineData("resnet18-cbam", 28)] // 20 backbone BNs + one per CBAM spatial gate
    [InlineData("resnet50-cbam", 69)]
    [InlineData("clip-resnet18-cbam", 28)]
    [InlineData("frame-resnet18-cbam", 28)]
    public void OptimizedNetworkMatchesPyTorchAndTheOriginal(string fixture, int expectedFolds)
    {
        using var original = LoadFixtureNetwork(fixture);
        using var optimized = LoadFixtureNetwork(fixture);
        int folded = Inference.InferenceOptimizer.Optimize(optimized);
        Assert.Equal(expectedFolds, folded);
        AssertMatches(optimized, fixture);

        original.eval();
        var io = Parity.ReadIo(fixtures.File_(fixture + ".io.pth"));
        using var _ = inference_mode();
        using var a = optimized.forward(io["input"]);
        using var b = original.forward(io["input"]);
        var (maxAbs, close) = Parity.Compare(a, b);
        log.WriteLine($"{fixture}: optimized vs original max |diff| = {maxAbs:E2}");
        Assert.True(close);
        foreach (var t in io.Values) t.Dispose();
    }

    [Fact]
    public void OptimizedNetworkHasChannelsLastWeightsAndRefusesToTrain()
    {
        using var net = LoadFixtureNetwork("resnet18-cbam");
        Inference.InferenceOptimizer.Optimize(net, new Inference.InferenceOptions { ChannelsLast = true });
        var conv = net.named_parameters().First(p => p.name == "layer2.0.conv1.weight").parameter;
        Assert.True(Inference.InferenceOptimizer.IsChannelsLast(conv));
        Assert.Contains(net.named_parameters(), p => p.name == "layer2.0.conv1.bias"); // BN folded in
        net.train();
        using var x = randn(2, 3, 64, 64);
        Assert.Throws<InvalidOperationException>(() => net.forward(x).Dispose());
    }

    nn.Module<Tensor, Tensor> LoadFixtureNetwork(string fixture)
    {
        nn.Module<Tensor, Tensor> net = fixture switch
        {
            "clip-resnet18-cbam" => new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18-cbam", Classes = 7, LstmHidden = 64, FcHidden = 32 }),
            "frame-resnet18-cbam" => new FrameExpressionNet(new ExpressionNetConfig { Arch = "resnet18-cbam", Classes = 8, FcHidden = 32 }),
            _ => new ResNet(ResNetSpec.Parse(fixture), numClasses: 1000),
        };
        var report = WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_(fixture + ".pth")), fixture);
        Assert.True(report.IsExact);
        return net;
    }

    /// <summary>The comparison is sharp enough to catch a wrong layer: a small change to one BatchNorm
    /// deep inside one CBAM spatial gate makes the outputs differ beyond the tolerance.</summary>
    [Fact]
    public void ParityFailsWhenOneCbamBatchNormIsPerturbed()
    {
        using var net = new ResNet(ResNetSpec.Parse("resnet18-cbam"), numClasses: 1000);
        WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_("resnet18-cbam.pth")), "r18");
        using (no_grad())
            net.state_dict()["layer3.1.cbam.SpatialGate.spatial.bn.running_mean"].add_(0.05);
        net.eval();
        var io = Parity.ReadIo(fixtures.File_("resnet18-cbam.io.pth"));
        using var y = net.forward(io["input"]);
        var (maxAbs, close) = Parity.Compare(y, io["output"]);
        log.WriteLine($"perturbed: max |diff| = {maxAbs:E2}");
        Assert.False(close);
    }

    void AssertMatches(nn.Module<Tensor, Tensor> net, string fixture, ResNet? backbone = null)
    {
        net.eval();
        var io = Parity.ReadIo(fixtures.File_(fixture + ".io.pth"));
        using var _ = inference_mode();
        using var y = net.forward(io["input"]);
        var (maxAbs, close) = Parity.Compare(y, io["output"]);
        log.WriteLine($"{fixture}: output {string.Join("x", y.shape)}, max |diff| = {maxAbs:E2}");
        Assert.True(close, $"{fixture}: max |diff| {maxAbs:E2} exceeds {Parity.Atol} + {Parity.Rtol}|ref|");
        if (backbone != null)
        {
            var x = io["input"];
            using var frames = x.reshape(-1, x.shape[^3], x.shape[^2], x.shape[^1]);
            using var features = backbone.forward(frames);
            var (fMax, fClose) = Parity.Compare(features, io["features"]);
            log.WriteLine($"{fixture}: features {string.Join("x", features.shape)}, max |diff| = {fMax:E2}");
            Assert.True(fClose, $"{fixture} features: max |diff| {fMax:E2}");
        }
        foreach (var t in io.Values) t.Dispose();
    }
}
