using VideoFer.Models.Runtime;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The kernel self-check on the CPU at hand, at one thread per core (as users run it): every kernel VideoFer
/// relies on must be right here, and a kernel made wrong on purpose must be caught, whatever this CPU computes.</summary>
public class KernelSelfCheckTests
{
    [Fact]
    public void EveryKernelVideoFerReliesOnIsRightOnThisCpu()
    {
        using var threads = new ThreadsAtCores();
        var verdicts = KernelSelfCheck.Run();
        Assert.All(verdicts, v => Assert.Equal(Environment.ProcessorCount, v.Threads));
        Assert.Equal(KernelSelfCheck.All.Count, verdicts.Count);
        var cpu = CpuFeatures.Detect();
        foreach (var v in verdicts.Where(v => v.Use != KernelUse.Avoided))
            Assert.True(v.Right, $"{cpu.Summary}: {v.Describe()}");
        // Those VideoFer avoids are reported either way, with a finite error or NaN, never skipped.
        Assert.All(verdicts, v => Assert.True(double.IsNaN(v.Error) || v.Error >= 0));
    }

    [Fact]
    public void AWrongKernelIsCaughtAndNamed()
    {
        var offByOnePercent = new KernelCheck("scaled conv2d", KernelUse.Backbone, "none", (type, repeat) =>
        {
            var x = full([1, 2, 5, 5], 1.0 + repeat, type);
            var y = nn.functional.conv2d(x, ones([3, 2, 3, 3], type), padding: [1, 1]);
            return [("output", type == ScalarType.Float32 ? y * 1.01 : y)];
        });
        var nanGradient = new KernelCheck("nan gradient", KernelUse.Backbone, "none", (type, repeat) =>
        {
            var x = ones([4], type);
            var g = type == ScalarType.Float32 ? full([4], double.NaN, type) : zeros([4], type);
            return [("output", x), ("input gradient", g)];
        });
        var right = new KernelCheck("right", KernelUse.Backbone, "none", (type, _) => [("output", arange(10, type))]);
        var verdicts = KernelSelfCheck.Run([offByOnePercent, nanGradient, right]);

        Assert.False(verdicts[0].Right);
        Assert.Equal("output", verdicts[0].WorstPart);
        Assert.InRange(verdicts[0].Error, 0.0099, 0.0101);
        Assert.Equal("WRONG", verdicts[0].Verdict);

        Assert.False(verdicts[1].Right);
        Assert.True(double.IsNaN(verdicts[1].Error));
        Assert.Equal("input gradient", verdicts[1].WorstPart);
        Assert.Contains("not finite", verdicts[1].Describe());

        Assert.True(verdicts[2].Right);
        Assert.Equal(0, verdicts[2].Error);
    }

}

/// <summary>Draws from libtorch's global generator, which the other test classes of this assembly draw from in
/// parallel: it runs alone (after them), or their draws would land between its seed and its own.</summary>
[CollectionDefinition(nameof(GlobalGeneratorCollection), DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;

[Collection(nameof(GlobalGeneratorCollection))]
public class KernelSelfCheckGeneratorTests
{
    [Fact]
    public void TheCheckLeavesLibTorchsRandomGeneratorAsItWas()
    {
        manual_seed(42);
        using var expected = rand(5);
        manual_seed(42);
        KernelSelfCheck.Run(KernelSelfCheck.For(cbam: true, clips: true, channelsLast: false));
        using var got = rand(5);
        Assert.True(got.equal(expected).all().item<bool>());
    }
}
