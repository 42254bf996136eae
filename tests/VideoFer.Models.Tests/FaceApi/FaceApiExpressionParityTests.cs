using System.Diagnostics;
using TorchSharp;
using VideoFer.Models.Expressions;
using Xunit.Abstractions;

namespace VideoFer.Models.Tests.FaceApi;

/// <summary>face-api run once by Node on every crop of <see cref="FaceApiFaces"/> (each alone, then all as one batch),
/// and the model on TorchSharp, shared by the parity tests.</summary>
public sealed class FaceApiParityFixture : IDisposable
{
    public IReadOnlyList<(string Name, FaceCrop Crop)> Faces { get; } = FaceApiFaces.Crops;
    public FaceApiReference.Response Reference { get; }
    public FaceApiExpressionModel Model { get; }

    public FaceApiParityFixture()
    {
        Reference = FaceApiReference.Run(Faces.Select(f => f.Crop).ToList());
        Model = FaceApiExpressionModel.Load(FaceApiReference.ManifestPath);
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>FaceApiExpressionModel against face-api itself on real face crops: the pre-processed input, the network
/// alone on face-api's own input, and crop to probabilities, one by one and batched. Reference values are computed by
/// face-api at test time.</summary>
public class FaceApiExpressionParityTests(FaceApiParityFixture fixture, ITestOutputHelper log) : IClassFixture<FaceApiParityFixture>
{
    const double Tolerance = 1e-5;
    const int S = FaceApiPreprocessing.InputSize;

    // face-api's labels in ABAW order, written out here rather than taken from the model, so that a wrong class
    // order in the model fails the tests.
    static readonly string[] AbawLabels = ["neutral", "angry", "disgusted", "fearful", "happy", "sad", "surprised"];

    static float[] Abaw(Dictionary<string, float> byLabel) => AbawLabels.Select(l => byLabel[l]).ToArray();

    [Fact]
    public void FaceApiRanOnEveryCropWithTheExpectedLabels()
    {
        var r = fixture.Reference;
        Assert.Equal(["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"], r.Labels);
        Assert.Equal(r.Labels, FaceApiExpressionModel.ModelClasses);
        Assert.Equal(fixture.Faces.Count, r.Single.Count);
        Assert.Equal(fixture.Faces.Count, r.Batch!.Expressions.Count);
        Assert.True(fixture.Faces.Count >= 6);
        // The crops cover tall and wide boxes, odd and even padding, and resizing down, up and not at all.
        var sizes = fixture.Faces.Select(f => (f.Crop.Width, f.Crop.Height)).ToList();
        Assert.Contains(sizes, s => s.Height > s.Width && (s.Height - s.Width) % 2 == 1);
        Assert.Contains(sizes, s => s.Width > s.Height && (s.Width - s.Height) % 2 == 1);
        Assert.Contains(sizes, s => s.Height != s.Width && (s.Height - s.Width) % 2 == 0);
        Assert.Contains(sizes, s => Math.Max(s.Width, s.Height) == S && s.Width != s.Height);
        Assert.Contains(sizes, s => Math.Max(s.Width, s.Height) < S);
    }

    [Fact]
    public void PreprocessedInputEqualsFaceApis()
    {
        var r = fixture.Reference;
        Assert.Equal([fixture.Faces.Count, S, S, 3], r.Batch!.InputShape);
        double worst = 0;
        for (int i = 0; i < fixture.Faces.Count; i++)
        {
            var (name, crop) = fixture.Faces[i];
            var ours = FaceApiPreprocessing.ToModelInput(crop);
            Assert.Equal([1, S, S, 3], r.Single[i].InputShape);
            double single = MaxAbsDiff(ours, FaceApiReference.NhwcToChw(r.Single[i].Input, S, S, 3));
            double batched = MaxAbsDiff(ours, FaceApiReference.NhwcToChw(r.Batch.Input, S, S, 3, i));
            log.WriteLine($"{name,-32} {crop.Width,3}x{crop.Height,-3} input max|diff| alone {single:E2}, in the batch {batched:E2}");
            worst = Math.Max(worst, Math.Max(single, batched));
            Assert.True(single <= Tolerance, $"{name}: pre-processed input differs from face-api's by {single}");
            Assert.True(batched <= Tolerance, $"{name}: pre-processed input differs from face-api's batch by {batched}");
        }
        log.WriteLine($"worst {worst:E2}");
    }

    [Fact]
    public void ProbabilitiesEqualFaceApisOneByOne()
    {
        double worst = 0;
        for (int i = 0; i < fixture.Faces.Count; i++)
        {
            var (name, crop) = fixture.Faces[i];
            var ours = fixture.Model.Predict(crop);
            var theirs = Abaw(fixture.Reference.Single[i].Expressions[0]);
            double diff = MaxAbsDiff(ours, theirs);
            worst = Math.Max(worst, diff);
            log.WriteLine($"{name,-32} max|diff| {diff:E2}  top: {Top(ours)} (face-api: {Top(theirs)})");
            Assert.True(diff <= Tolerance, $"{name}: probabilities differ from face-api's by {diff}");
            Assert.Equal(1.0, ours.Sum(), 5);
        }
        log.WriteLine($"worst {worst:E2}");
    }

    [Fact]
    public void BatchedProbabilitiesEqualFaceApisBatch()
    {
        var ours = fixture.Model.Predict(fixture.Faces.Select(f => f.Crop).ToList());
        double worst = 0;
        for (int i = 0; i < fixture.Faces.Count; i++)
        {
            double diff = MaxAbsDiff(ours[i], Abaw(fixture.Reference.Batch!.Expressions[i]));
            worst = Math.Max(worst, diff);
            Assert.True(diff <= Tolerance, $"{fixture.Faces[i].Name}: batched probabilities differ from face-api's by {diff}");
        }
        log.WriteLine($"batch of {ours.Length}: worst max|diff| {worst:E2}");
    }

    [Fact]
    public void NetworkAloneOnFaceApisInputEqualsFaceApi()
    {
        var r = fixture.Reference;
        var nchw = Enumerable.Range(0, fixture.Faces.Count).SelectMany(i => FaceApiReference.NhwcToChw(r.Batch!.Input, S, S, 3, i)).ToArray();
        using var input = torch.tensor(nchw, [fixture.Faces.Count, 3, S, S]);
        var ours = fixture.Model.PredictModelOrder(input);
        double worst = 0;
        for (int i = 0; i < fixture.Faces.Count; i++)
        {
            var theirs = FaceApiExpressionModel.ModelClasses.Select(l => r.Batch!.Expressions[i][l]).ToArray();
            double diff = MaxAbsDiff(ours[i], theirs);
            worst = Math.Max(worst, diff);
            Assert.True(diff <= Tolerance, $"{fixture.Faces[i].Name}: network output differs from face-api's by {diff}");
        }
        log.WriteLine($"network alone on face-api's input: worst max|diff| {worst:E2}");
    }

    [Fact]
    public void HasFaceApisArchitecture()
    {
        Assert.Equal(323_687, fixture.Model.ParameterCount);
        Assert.Equal(112, fixture.Model.InputSize);
        Assert.Equal(FaceApiReference.ManifestPath, fixture.Model.Path);
    }

    [Fact]
    public void TimePerFace()
    {
        var crops = fixture.Faces.Select(f => f.Crop).ToList();
        var sixteen = Enumerable.Range(0, 16).Select(i => crops[i % crops.Count]).ToList();
        fixture.Model.Predict(crops[0]); // warm-up
        fixture.Model.Predict(sixteen);
        foreach (var (batch, reps) in new[] { (1, 20), (16, 4) })
        {
            var input = sixteen.Take(batch).ToList();
            var watch = Stopwatch.StartNew();
            for (int k = 0; k < reps; k++) fixture.Model.Predict(input);
            double ms = watch.Elapsed.TotalMilliseconds / (reps * batch);
            log.WriteLine($"batch of {batch,2}: {ms:F2} ms per face (pre-processing included, {torch.get_num_threads()} threads)");
        }
    }

    static string Top(float[] abaw)
    {
        int best = Array.IndexOf(abaw, abaw.Max());
        return $"{ExpressionClasses.Seven[best]} {abaw[best]:F3}";
    }

    internal static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
