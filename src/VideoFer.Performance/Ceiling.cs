using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>The machine's reference ceiling: a large float32 matrix product through libtorch's BLAS.</summary>
static class Ceiling
{
    public static double MatmulGflops(int n, int repeats = 5)
    {
        manual_seed(2);
        using var a = randn(n, n);
        using var b = randn(n, n);
        var timing = Stopwatches.Time(() => a.matmul(b).Dispose(), warmup: 1, repeats);
        return 2.0 * n * n * n / timing.Min / 1e9;
    }
}
