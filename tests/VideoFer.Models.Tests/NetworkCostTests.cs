using VideoFer.Models.Backbones;
using VideoFer.Models.Summary;

namespace VideoFer.Models.Tests;

public class NetworkCostTests
{
    /// <summary>torchvision's model table gives these GFLOPS (multiply-accumulates) at 224x224; they
    /// include the 1000-way fc, which adds at most 0.002 G.</summary>
    [Theory]
    [InlineData("resnet18", 1.81)]
    [InlineData("resnet34", 3.66)]
    [InlineData("resnet50", 4.09)]
    [InlineData("resnet101", 7.80)]
    [InlineData("resnet152", 11.51)]
    public void BackboneMacsMatchTorchvisionsPublishedFigures(string arch, double gmacs)
    {
        double counted = NetworkCost.BackboneMacs(ResNetSpec.Parse(arch), 224) / 1e9;
        Assert.InRange(counted, gmacs - 0.01, gmacs + 0.005);
    }

    [Fact]
    public void CbamAndTheClipHeadAddTheirShare()
    {
        long plain = NetworkCost.BackboneMacs(ResNetSpec.Parse("resnet101"), 224);
        long cbam = NetworkCost.BackboneMacs(ResNetSpec.Parse("resnet101-cbam"), 224);
        Assert.InRange((cbam - plain) / (double)plain, 0.001, 0.01); // CBAM is light: well under 1%
        long clip = NetworkCost.ClipNetworkMacsPerFrame(new ExpressionNetConfig());
        // BLSTM 2 x 4 x 512 x (2048 + 512) + FC 1024 x 256 + 256 x 7 on top of the backbone.
        Assert.Equal(cbam + 2L * 4 * 512 * (2048 + 512) + 1024L * 256 + 256 * 7, clip);
    }
}
