using TorchSharp;
using VideoFer.Models.Backbones;
using VideoFer.Models.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

[Collection("parity")]
public class CheckpointTests(ParityFixtures fixtures, ITestOutputHelper log) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly ExpressionNetConfig Small = new() { Arch = "resnet18-cbam", Classes = 7, LstmHidden = 32, FcHidden = 16 };

    /// <summary>A checkpoint VideoFer writes loads, strictly, into the network defined in PyTorch
    /// (reference/videofer_reference.py), which then computes the same outputs.</summary>
    [Theory]
    [InlineData(ModelKind.Clip)]
    [InlineData(ModelKind.Frame)]
    public void CheckpointLoadsIntoThePyTorchNetworkAndGivesTheSameOutputs(ModelKind kind)
    {
        manual_seed(11);
        using var net = ExpressionNetwork.Create(kind, kind == ModelKind.Clip ? Small : Small with { Classes = 8 });
        RandomizeBatchNorm(net);
        net.eval();
        string ckpt = Path.Combine(dir, "model.pth");
        Checkpoint.Save(ckpt, net);

        using var x = kind == ModelKind.Clip ? randn([2L, 8, 3, 64, 80]) : randn(3, 3, 80, 64);
        using var y = net.forward(x);
        string io = Path.Combine(dir, "io.pth"), outFile = Path.Combine(dir, "out.pth");
        StateDictFile.WriteObject(io, new Dictionary<string, Tensor> { ["input"] = x });
        Reference.RunScript("run_checkpoint.py", ckpt, io, outFile);
        var pyOut = StateDictFile.ReadStateDict(outFile)["output"];
        var (maxAbs, close) = Parity.Compare(y, pyOut);
        log.WriteLine($"{kind}: max |diff| {maxAbs:E2}");
        Assert.True(close, $"max |diff| {maxAbs:E2}");
    }

    [Fact]
    public void CheckpointRoundTripsInCSharpWithItsConfig()
    {
        manual_seed(5);
        using var net = new ExpressionNet(Small with { Classes = 8, LstmLayers = 2 });
        string path = Path.Combine(dir, "c.pth");
        Checkpoint.Save(path, net);
        var (loaded, info) = Checkpoint.Load(path);
        using var _ = loaded;
        Assert.Equal(ModelKind.Clip, info.Kind);
        Assert.Equal(net.Config, info.Config);
        var a = net.state_dict();
        foreach (var (key, value) in loaded.state_dict())
            Assert.True(value.equal(a[key]).all().item<bool>(), key);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*")); // no temporary file left beside the checkpoint
    }

    [Fact]
    public void CheckpointOfAnotherArchitectureIsRefusedByName()
    {
        using var net = new FrameExpressionNet(Small);
        string path = Path.Combine(dir, "frame.pth");
        Checkpoint.Save(path, net);
        var e = Assert.Throws<VideoFerException>(() => Checkpoint.Load(path, expectedArch: "resnet101-cbam"));
        Assert.Equal($"{path}: is a checkpoint of resnet18-cbam frame model, 7 classes, not of resnet101-cbam", e.Message);
        e = Assert.Throws<VideoFerException>(() => Checkpoint.Load(path, expectedKind: ModelKind.Clip));
        Assert.Contains("a clip model is needed here", e.Message);
    }

    [Fact]
    public void TorchvisionWeightsLoadIntoACbamBackboneLeavingOnlyCbamInitialised()
    {
        using var backbone = new ResNet(ResNetSpec.Parse("resnet18-cbam"));
        var report = Checkpoint.LoadBackbone(backbone, fixtures.File_("resnet18.pth"));
        int cbam = backbone.state_dict().Keys.Count(k => k.Contains(".cbam."));
        Assert.Equal(backbone.state_dict().Count - cbam, report.Loaded);
        var reference = StateDictFile.ReadStateDict(fixtures.File_("resnet18.pth"));
        Assert.True(reference["layer2.1.conv2.weight"].equal(backbone.state_dict()["layer2.1.conv2.weight"]).all().item<bool>());
    }

    [Fact]
    public void BackboneWeightsOfAnotherDepthAreRefused()
    {
        using var backbone = new ResNet(ResNetSpec.Parse("resnet50-cbam"));
        string path = fixtures.File_("resnet18.pth");
        var e = Assert.Throws<VideoFerException>(() => Checkpoint.LoadBackbone(backbone, path));
        Assert.StartsWith($"{path}: weights do not fit a resnet50-cbam backbone", e.Message);
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(64, 97)]
    [InlineData(130, 75)]
    public void AnyInputOfAtLeast64PixelsWorks(int h, int w)
    {
        using var net = new ExpressionNet(Small);
        net.eval();
        using var _ = inference_mode();
        using var y = net.forward(zeros([1L, 3, 3, h, w]));
        Assert.Equal(new long[] { 1, 3, 7 }, y.shape);
    }

    static void RandomizeBatchNorm(nn.Module net)
    {
        using var _ = no_grad();
        foreach (var (name, buffer) in net.named_buffers())
        {
            if (name.EndsWith("running_mean")) buffer.uniform_(-0.2, 0.2);
            if (name.EndsWith("running_var")) buffer.uniform_(0.5, 2.0);
        }
    }
}
