using TorchSharp;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>Comparison of C# outputs with PyTorch's, element by element.</summary>
static class Parity
{
    public const double Atol = 1e-4, Rtol = 1e-4;

    /// <summary>Largest |a - b| and whether every element satisfies |a - b| <= Atol + Rtol * |b|.</summary>
    public static (double MaxAbs, bool Close) Compare(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (actual - expected).abs();
        double maxAbs = diff.max().item<float>();
        using var bound = expected.abs() * Rtol + Atol;
        bool close = diff.le(bound).all().item<bool>();
        return (maxAbs, close);
    }

    public static Dictionary<string, Tensor> ReadIo(string path) => StateDictFile.ReadStateDict(path);
}
