using TorchSharp;
using VideoFer.Models.Layers;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests.Layers;

/// <summary>VideoFer's LSTM against libtorch's own LSTM run in float64 (no oneDNN kernels there) on the
/// same weights, including the hidden sizes whose float32 oneDNN kernels are wrong on AMD EPYC CPUs.</summary>
// Its seed test draws twice from libtorch's global generator: other test classes must not draw in between.
[Collection(nameof(GlobalGeneratorCollection))]
public class BidirectionalLstmTests
{
    [Theory]
    [InlineData(64, 4, 1)]
    [InlineData(512, 16, 1)]
    [InlineData(96, 48, 1)]
    [InlineData(2048, 64, 1)]
    [InlineData(40, 16, 2)]
    public void EqualsLibTorchsLstmInDoublePrecision(long features, long hidden, int layers)
    {
        manual_seed(7);
        using var ours = new BidirectionalLstm(features, hidden, layers);
        using var reference = nn.LSTM(features, hidden, numLayers: layers, batchFirst: true, bidirectional: true);
        // Same weights, by PyTorch name: the reference is a plain nn.LSTM state_dict consumer.
        reference.load_state_dict(ours.state_dict());
        reference.to(float64);
        using var x = randn(3, 8, features);
        using var _ = no_grad();
        using var got = ours.forward(x);
        var (expected, h, c) = reference.forward(x.to(float64));
        using (expected) using (h) using (c)
        {
            Assert.Equal(expected.shape, got.shape);
            double diff = (got.to(float64) - expected).abs().max().item<double>();
            Assert.InRange(diff, 0, 1e-5);
        }
    }

    [Fact]
    public void ASeedGivesTheWeightsTorchSharpsLstmWouldDraw()
    {
        manual_seed(11);
        using var ours = new BidirectionalLstm(20, 6, 2);
        manual_seed(11);
        using var theirs = nn.LSTM(20, 6, numLayers: 2, batchFirst: true, bidirectional: true);
        var expected = theirs.state_dict();
        var got = ours.state_dict();
        Assert.Equal(expected.Keys.OrderBy(k => k), got.Keys.OrderBy(k => k));
        foreach (var (name, value) in expected)
            Assert.True(value.allclose(got[name], rtol: 0, atol: 0), $"{name} differs");
    }

    [Fact]
    public void GradientsFlowToEveryParameter()
    {
        manual_seed(3);
        using var lstm = new BidirectionalLstm(10, 4, 2);
        using var x = randn(2, 8, 10);
        using var y = lstm.forward(x);
        using var loss = y.pow(2).sum();
        loss.backward();
        foreach (var (name, p) in lstm.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name} got no gradient");
        }
    }
}
