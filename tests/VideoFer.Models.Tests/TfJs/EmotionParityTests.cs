using TorchSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.TfJs;
using Xunit.Abstractions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>The embedded default model on TorchSharp against TensorFlow.js itself, on real face crops: the
/// pre-processing, the network alone, and the two together. Reference values are computed by TF.js at test time.</summary>
public class EmotionParityTests(ITestOutputHelper log)
{
    const double Tolerance = 1e-4;

    [Fact]
    public void PreprocessingAndNetworkMatchTensorFlowJsOnRealFaces()
    {
        var faces = RealFaces.Crops;
        using var model = EmotionModel.Load(TfJsReference.EmotionModelPath);
        int s = model.InputSize;
        var inputs = faces.Select(f => EmotionPreprocessing.ToModelInput(f.Crop, s)).ToList();

        var reference = TfJsReference.Run(model.Path,
            inputs.Select(x => (x, new long[] { 1, s, s, 1 })), faces.Select(f => f.Crop));

        for (int i = 0; i < faces.Count; i++)
        {
            var (tfInput, tfOutput) = reference.CropResults[i];
            double inputDiff = MaxAbsDiff(inputs[i], tfInput);

            using var x = torch.tensor(inputs[i], [1, s, s, 1]);
            var network = model.PredictModelOrder(x)[0];
            double networkDiff = MaxAbsDiff(network, reference.TensorOutputs[i]);

            var full = model.Predict(faces[i].Crop);
            double fullDiff = MaxAbsDiff(full, EmotionModel.ToAbaw([tfOutput])[0]);

            log.WriteLine($"{faces[i].Name,-26} input max|diff| {inputDiff:E2}  network {networkDiff:E2}  " +
                          $"pre-processing+network {fullDiff:E2}  top: {Top(full)}");
            Assert.True(inputDiff <= 1e-6, $"{faces[i].Name}: pre-processed input differs from TF.js's by {inputDiff}");
            Assert.True(networkDiff <= Tolerance, $"{faces[i].Name}: network output differs from TF.js's by {networkDiff}");
            Assert.True(fullDiff <= Tolerance, $"{faces[i].Name}: probabilities differ from TF.js's by {fullDiff}");
            Assert.Equal(1.0, full.Sum(), 4);
        }
    }

    [Fact]
    public void BatchedPredictionEqualsOneByOne()
    {
        var faces = RealFaces.Crops;
        using var model = EmotionModel.Load(TfJsReference.EmotionModelPath);
        var batched = model.Predict(faces.Select(f => f.Crop).ToList());
        for (int i = 0; i < faces.Count; i++)
            Assert.True(MaxAbsDiff(batched[i], model.Predict(faces[i].Crop)) <= 1e-6, faces[i].Name);
    }

    [Fact]
    public void QuantisedWeightsDecodeAsTensorFlowJsDoes()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        string quantised = TfJsReference.Quantize(TfJsReference.EmotionModelPath, dir);
        var faces = RealFaces.Crops;
        using var model = EmotionModel.Load(quantised);
        int s = model.InputSize;
        var inputs = faces.Select(f => EmotionPreprocessing.ToModelInput(f.Crop, s)).ToList();
        var reference = TfJsReference.Run(quantised, inputs.Select(x => (x, new long[] { 1, s, s, 1 })), []);
        for (int i = 0; i < faces.Count; i++)
        {
            using var x = torch.tensor(inputs[i], [1, s, s, 1]);
            double diff = MaxAbsDiff(model.PredictModelOrder(x)[0], reference.TensorOutputs[i]);
            log.WriteLine($"quantised model, {faces[i].Name,-26} max|diff| {diff:E2}");
            Assert.True(diff <= Tolerance, $"{faces[i].Name}: quantised model differs from TF.js by {diff}");
        }

        // Every quantised weight lies within the manifest's rounding step of the float32 original.
        var original = TfJsModelFile.Read(TfJsReference.EmotionModelPath).Weights;
        var decoded = TfJsModelFile.Read(quantised).Weights;
        var kinds = new HashSet<string>();
        foreach (var (name, w) in decoded)
        {
            if (w.Spec.Quantization is not { } q) continue;
            kinds.Add(q.DType);
            var before = (float[])original[name].Values;
            var after = (float[])w.Values;
            for (int k = 0; k < before.Length; k++)
            {
                double bound = q.DType == "float16"
                    ? Math.Max(Math.Abs(before[k]) * Math.Pow(2, -11), Math.Pow(2, -25))
                    : q.Scale!.Value / 2 + 1e-6 * Math.Abs(before[k]) + 1e-7;
                Assert.True(Math.Abs(after[k] - before[k]) <= bound,
                    $"{name}[{k}] ({q.DType}): {after[k]} decoded from {before[k]}, off by more than {bound}");
            }
        }
        Assert.Equal(["float16", "uint16", "uint8"], kinds.Order());
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
