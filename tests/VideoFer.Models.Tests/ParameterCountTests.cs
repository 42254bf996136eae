using System.Text.Json;
using VideoFer.Models.Backbones;
using VideoFer.Models.Summary;

namespace VideoFer.Models.Tests;

[Collection("parity")]
public class ParameterCountTests(ParityFixtures fixtures)
{
    /// <summary>The counts the foundation issue requires (a 1000-class fc with bias).</summary>
    [Theory]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet101-cbam", 49_330_172)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet50-cbam", 28_089_624)]
    [InlineData("resnet18-cbam", 11_779_392)]
    [InlineData("resnet34-cbam", 21_960_468)]
    public void TrainableParametersMatchTheSpecification(string arch, long expected)
    {
        using var net = new ResNet(ResNetSpec.Parse(arch), numClasses: 1000);
        Assert.Equal(expected, ModelSummary.CountTrainable(net));
    }

    /// <summary>Every architecture, against torchvision plus the independent Python CBAM.</summary>
    [Fact]
    public void EveryArchitectureMatchesPyTorchCount()
    {
        var counts = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(fixtures.File_("parameter_counts.json")))!;
        Assert.Equal(ResNetSpec.KnownNames.Order(), counts.Keys.Order());
        foreach (var (arch, expected) in counts)
        {
            using var net = new ResNet(ResNetSpec.Parse(arch), numClasses: 1000);
            Assert.True(expected == ModelSummary.CountTrainable(net), $"{arch}: PyTorch {expected}, VideoFer {ModelSummary.CountTrainable(net)}");
        }
    }

    [Fact]
    public void StateDictNamesMatchTorchvisionLayout()
    {
        using var net = new ResNet(ResNetSpec.Parse("resnet50-cbam"), numClasses: 1000);
        var keys = net.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("layer1.0.downsample.0.weight", keys);
        Assert.Contains("layer1.0.downsample.1.running_var", keys);
        Assert.Contains("layer4.2.bn3.num_batches_tracked", keys);
        Assert.Contains("layer4.2.cbam.ChannelGate.mlp.1.weight", keys);
        Assert.Contains("layer4.2.cbam.ChannelGate.mlp.3.bias", keys);
        Assert.Contains("layer4.2.cbam.SpatialGate.spatial.conv.weight", keys);
        Assert.Contains("layer4.2.cbam.SpatialGate.spatial.bn.weight", keys);
        Assert.Contains("fc.bias", keys);
    }
}
