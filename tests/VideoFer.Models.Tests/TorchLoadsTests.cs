using TorchSharp;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The native runtime loads on this host (the build's GLIBCXX patch) and computes correctly.</summary>
public class TorchLoadsTests
{
    [Fact]
    public void LibTorchLoadsAndMultipliesMatrices()
    {
        Assert.StartsWith("2.10", Runtime.TorchRuntime.LibTorchVersion);
        // A product whose result is known exactly: [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]].
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);
        using var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void BidirectionalLstmRunsAndBackpropagates()
    {
        manual_seed(1);
        using var lstm = nn.LSTM(16, 8, batchFirst: true, bidirectional: true);
        using var x = randn(2, 5, 16, requires_grad: true);
        var (y, h, c) = lstm.forward(x);
        Assert.Equal(new long[] { 2, 5, 16 }, y.shape);
        y.sum().backward();
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
        y.Dispose(); h.Dispose(); c.Dispose();
    }

    [Fact]
    public void ElfPatchMarkedTheVersionNeedWeakOnlyWhenTheHostLacksIt()
    {
        string lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), lib);
        bool hostHasVersion = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }
            .Where(File.Exists)
            .Any(p => System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(p)).Contains("GLIBCXX_3.4.32\0"));
        Assert.Equal(!hostHasVersion, ElfVersionNeeds.IsWeak(lib, "GLIBCXX_3.4.32"));
    }
}
