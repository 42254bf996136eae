using VideoFer.Models.Backbones;
using VideoFer.Models.Weights;

namespace VideoFer.Models.Tests;

/// <summary>Every broken weights file gives one VideoFerException naming the file and the problem.</summary>
[Collection("parity")]
public class WeightFileErrorTests(ParityFixtures fixtures) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-weights-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void MissingFile()
    {
        string path = Path.Combine(dir, "nope.pth");
        var e = Assert.Throws<VideoFerException>(() => StateDictFile.ReadStateDict(path));
        Assert.Equal($"{path}: weights file not found", e.Message);
    }

    [Fact]
    public void EmptyFile()
    {
        string path = Path.Combine(dir, "empty.pth");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<VideoFerException>(() => StateDictFile.ReadStateDict(path));
        Assert.Equal($"{path}: weights file is empty", e.Message);
    }

    [Fact]
    public void NotAZipFile()
    {
        string path = Path.Combine(dir, "text.pth");
        File.WriteAllText(path, "this is not a model");
        var e = Assert.Throws<VideoFerException>(() => StateDictFile.ReadStateDict(path));
        Assert.StartsWith($"{path}: not a PyTorch weights file", e.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void TruncatedFile(double keep)
    {
        byte[] full = File.ReadAllBytes(fixtures.File_("resnet18.pth"));
        string path = Path.Combine(dir, "truncated.pth");
        File.WriteAllBytes(path, full[..(int)(full.Length * keep)]);
        var e = Assert.Throws<VideoFerException>(() => StateDictFile.ReadStateDict(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CorruptedBytesInTheMiddle()
    {
        byte[] bytes = File.ReadAllBytes(fixtures.File_("cbam64.pth"));
        var rng = new Random(3);
        for (int i = 0; i < 200; i++) bytes[rng.Next(64, bytes.Length - 64)] ^= 0x5A;
        string path = Path.Combine(dir, "corrupt.pth");
        File.WriteAllBytes(path, bytes);
        var e = Record.Exception(() =>
        {
            using var cbam = new Cbam(64);
            WeightLoader.Load(cbam, StateDictFile.ReadStateDict(path), path);
        });
        // Flipped bytes inside raw tensor data are undetectable by design (torch.save has no checksums);
        // anywhere else they must surface as a VideoFerException naming the file.
        if (e != null)
        {
            var user = Assert.IsType<VideoFerException>(e);
            Assert.StartsWith(path, user.Message);
        }
    }

    [Fact]
    public void WeightsOfAnotherArchitectureListTheKeys()
    {
        using var net = new ResNet(ResNetSpec.Parse("resnet34"), numClasses: 1000);
        string path = fixtures.File_("resnet18.pth");
        var e = Assert.Throws<VideoFerException>(() => WeightLoader.Load(net, StateDictFile.ReadStateDict(path), path));
        Assert.StartsWith($"{path}: weights do not fit a resnet34 backbone: missing keys: layer1.2.conv1.weight", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        using var wide = new ResNet(ResNetSpec.Parse("resnet50"), numClasses: 1000);
        e = Assert.Throws<VideoFerException>(() => WeightLoader.Load(wide, StateDictFile.ReadStateDict(path), path));
        Assert.Contains("mis-shaped keys: layer1.0.conv1.weight (model [64x64x1x1], file [64x64x3x3])", e.Message);
        Assert.Contains("missing keys: layer1.0.conv3.weight", e.Message);
    }

    [Fact]
    public void StrictLoadCopiesNothingOnMismatch()
    {
        using var net = new ResNet(ResNetSpec.Parse("resnet34"), numClasses: 1000);
        var before = net.state_dict()["conv1.weight"].clone();
        Assert.Throws<VideoFerException>(() => WeightLoader.Load(net, StateDictFile.ReadStateDict(fixtures.File_("resnet18.pth")), "x"));
        Assert.True(before.equal(net.state_dict()["conv1.weight"]).all().item<bool>());
    }
}
