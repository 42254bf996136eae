using TorchSharp;
using VideoFer.Models.TfJs;
using Xunit.Abstractions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>The importer on hand-written graphs: ops and padding cases the emotion model does not use, checked
/// against TensorFlow.js, and the errors a model outside the supported set gets.</summary>
public class TfJsGraphModelTests(ITestOutputHelper log) : IDisposable
{
    readonly TempDir temp = new();
    string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void AsymmetricSamePaddingAndFusedOpsMatchTensorFlowJs()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 7);
        var random = new Random(11);
        var input = Enumerable.Range(0, 2 * 9 * 10 * 3).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var reference = TfJsReference.Run(path, [(input, [2, 9, 10, 3])], []);

        using var model = TfJsGraphModel.Load(path);
        using var x = torch.tensor(input, [2, 9, 10, 3]);
        using var y = model.Execute(x);
        Assert.Equal([2L, 5L], y.shape);
        double diff = EmotionParityTests.MaxAbsDiff(y.data<float>().ToArray(), reference.TensorOutputs[0]);
        log.WriteLine($"synthetic graph max|diff| {diff:E2}");
        Assert.True(diff <= 1e-5, $"differs from TF.js by {diff}");
    }

    [Fact]
    public void PreluFusedPreluAndConcatMatchTensorFlowJs()
    {
        // MediaPipe's face mesh and iris graphs: a conv fused with BiasAdd and Prelu, a standalone Prelu with a
        // [1, 1, C] alpha, and a ConcatV2 of two branches on the channel axis (and one on a plain rank-2 axis).
        string path = SyntheticGraph.WritePreluConcatNet(dir, seed: 5);
        var random = new Random(12);
        var input = Enumerable.Range(0, 2 * 6 * 7 * 3).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var reference = TfJsReference.Run(path, [(input, [2, 6, 7, 3])], []);

        using var model = TfJsGraphModel.Load(path);
        using var x = torch.tensor(input, [2, 6, 7, 3]);
        using var y = model.Execute(x);
        Assert.Equal([2L, 6L, 7L, 10L], y.shape);
        var ours = y.data<float>().ToArray();
        Assert.Contains(ours, v => v < 0); // Prelu's negative side is exercised
        double diff = EmotionParityTests.MaxAbsDiff(ours, reference.TensorOutputs[0]);
        log.WriteLine($"Prelu/ConcatV2 graph max|diff| {diff:E2}");
        Assert.True(diff <= 1e-5, $"differs from TF.js by {diff}");
    }

    [Fact]
    public void ConcatWithoutAConstantAxisIsRefusedAtLoad()
    {
        string path = SyntheticGraph.WritePreluConcatNet(dir, seed: 5, axisFromInput: true);
        var e = Assert.Throws<VideoFerException>(() => TfJsGraphModel.Load(path));
        Assert.Contains("axis", e.Message);
    }

    [Fact]
    public void UnsupportedOpIsRefusedAtLoadNamingOpNodeAndFile()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 1, replaceOp: ("relu", "Erf"));
        var e = Assert.Throws<VideoFerException>(() => TfJsGraphModel.Load(path));
        Assert.Contains("unsupported TF.js op 'Erf'", e.Message);
        Assert.Contains("node relu", e.Message);
        Assert.StartsWith(Path.GetFullPath(path), e.Message);
    }

    [Fact]
    public void UnsupportedFusedActivationIsRefused()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 1, fusedActivation: "Gelu");
        var e = Assert.Throws<VideoFerException>(() => TfJsGraphModel.Load(path));
        Assert.Contains("'_FusedConv2D' fused with 'Gelu'", e.Message);
        Assert.StartsWith(Path.GetFullPath(path), e.Message);
    }

    [Fact]
    public void TruncatedWeightsAreReportedWithTheFile()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 1);
        string bin = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(bin);
        File.WriteAllBytes(bin, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<VideoFerException>(() => TfJsGraphModel.Load(path));
        Assert.Contains("truncated", e.Message);
        Assert.StartsWith(Path.GetFullPath(path), e.Message);
    }

    [Fact]
    public void MissingShardIsReportedWithTheFile()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 1);
        File.Delete(Path.Combine(dir, "weights.bin"));
        var e = Assert.Throws<VideoFerException>(() => TfJsGraphModel.Load(path));
        Assert.Contains("weights.bin not found", e.Message);
    }

    [Fact]
    public void WrongInputShapeIsAClearError()
    {
        string path = SyntheticGraph.WriteTestNet(dir, seed: 1);
        using var model = TfJsGraphModel.Load(path);
        using var x = torch.zeros(1, 10, 9, 3);
        var e = Assert.Throws<VideoFerException>(() => model.Execute(x));
        Assert.Contains("the model expects [-1, 9, 10, 3]", e.Message);
    }
}
