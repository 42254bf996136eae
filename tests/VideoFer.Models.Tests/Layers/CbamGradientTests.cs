using TorchSharp;
using VideoFer.Models.Backbones;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests.Layers;

/// <summary>CBAM in training, float32 at one thread per core (as users train) against the same block in float64: output, input
/// gradient and every parameter's gradient. On AMD Zen 5 CPUs libtorch 2.10's convolution backward gave the spatial
/// gate's input gradient as NaN or garbage (its 7x7 convolution has one output channel), which made every CBAM network's
/// training loss NaN within a few iterations; this test failed there before ConvBn padded the filter.</summary>
public class CbamGradientTests
{
    [Theory]
    [InlineData(64, 16, 8)]   // resnet18-cbam's first stage at 64x64 input
    [InlineData(256, 14, 4)]  // a resnet101-cbam first-stage block at 56x56, smaller
    [InlineData(512, 7, 2)]
    public void OutputAndGradientsEqualFloat64(long channels, long side, long batch)
    {
        using var threads = new ThreadsAtCores();
        manual_seed(5);
        using var single = new Cbam(channels);
        using var reference = new Cbam(channels);
        reference.load_state_dict(single.state_dict());
        reference.to(float64);
        single.train();
        reference.train();

        using var x64 = randn(batch, channels, side, side, dtype: float64);
        using var g64 = randn(batch, channels, side, side, dtype: float64);
        using var x32 = x64.to(float32).requires_grad_(true);
        using var xd = x64.detach().requires_grad_(true);
        using var y32 = single.forward(x32);
        using var y64 = reference.forward(xd);
        y32.backward([g64.to(float32)]);
        y64.backward([g64]);

        Close(y32, y64, "output");
        Close(x32.grad!, xd.grad!, "input gradient");
        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in single.named_parameters())
            Close(p.grad!, expected[name].grad!, $"gradient of {name}");
    }

    [Fact]
    public void TheTrainingAndInferencePathsOfTheSpatialGateAgree()
    {
        manual_seed(6);
        using var cbam = new Cbam(32);
        cbam.eval();
        using var x = randn(2, 32, 9, 9);
        using var trained = cbam.forward(x.clone());  // autograd on: the padded-filter convolution
        using var _ = no_grad();
        using var inferred = cbam.forward(x.clone()); // plain convolution, gated in place
        Assert.True(trained.allclose(inferred, rtol: 1e-5, atol: 1e-6));
    }

    static void Close(Tensor got, Tensor expected, string what)
    {
        Assert.True(got.isfinite().all().item<bool>(), $"{what}: not finite");
        double scale = expected.abs().max().item<double>();
        double error = (got.to(float64) - expected).abs().max().item<double>() / scale;
        Assert.True(error < 1e-4, $"{what}: off by {error:E2} (relative) against float64");
    }
}
