using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using VideoFer.Models;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Cli.Tests;

public class ModelCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-model-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The counts the foundation issue requires, as the CLI prints them.</summary>
    [Theory]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet101-cbam", 49_330_172)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet50-cbam", 28_089_624)]
    [InlineData("resnet18-cbam", 11_779_392)]
    [InlineData("resnet34-cbam", 21_960_468)]
    public void SummaryJsonPrintsExactParameterCounts(string arch, long expected)
    {
        var r = CliProcess.Run("model", "summary", "--arch", arch, "--classes", "1000", "--json", "--input-size", "64");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal(arch, json.RootElement.GetProperty("arch").GetString());
        Assert.Equal(expected, json.RootElement.GetProperty("parameters").GetInt64());
        long stages = json.RootElement.GetProperty("stages").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(expected, stages);
        Assert.Equal([1, 8, 7], json.RootElement.GetProperty("clip_model").GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public void SummaryTablePrintsTheCountStagesAndClipShapes()
    {
        var r = CliProcess.Run("model", "summary", "--arch", "resnet18-cbam", "--classes", "1000");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("11,779,392", r.StdOut);
        foreach (var stage in new[] { "stem", "layer1", "layer2", "layer3", "layer4", "fc", "temporal", "classifier" })
            Assert.Contains(stage, r.StdOut);
        Assert.Contains("clip input  (1, 8, 3, 224, 224)", r.StdOut);
        Assert.Contains("clip output (1, 8, 7)", r.StdOut);
    }

    [Fact]
    public void UnknownArchitectureIsOneClearLine()
    {
        var r = CliProcess.Run("model", "summary", "--arch", "resnet77");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("videofer: error: unknown architecture 'resnet77': expected one of resnet18,", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void InitThenInspectACheckpoint()
    {
        string ckpt = Path.Combine(dir, "init.pth");
        var r = CliProcess.Run("model", "init", "--arch", "resnet18-cbam", "--out", ckpt);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(ckpt));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
        r = CliProcess.Run("model", "inspect", ckpt, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal("resnet18-cbam", json.RootElement.GetProperty("arch").GetString());
        Assert.Equal("clip", json.RootElement.GetProperty("kind").GetString());

        r = CliProcess.Run("model", "inspect", ckpt, "--arch", "resnet101-cbam");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {ckpt}: is a checkpoint of resnet18-cbam clip model, 7 classes, not of resnet101-cbam", r.StdErr.Trim());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("truncated")]
    public void BadWeightsFileIsOneLineWithoutStackTrace(string kind)
    {
        string path = Path.Combine(dir, kind + ".pth");
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "text": File.WriteAllText(path, "not weights"); break;
            case "truncated":
                string good = Path.Combine(dir, "good.pth");
                Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18", "--kind", "frame", "--out", good).ExitCode);
                var bytes = File.ReadAllBytes(good);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
        }
        var r = CliProcess.Run("model", "inspect", path);
        Assert.Equal(1, r.ExitCode);
        string line = Assert.Single(r.StdErr.Trim().Split('\n'));
        Assert.StartsWith($"videofer: error: {path}: ", line);
        Assert.DoesNotContain("   at ", r.StdErr);

        var verbose = CliProcess.Run("model", "inspect", path, "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.StdErr); // the stack trace, on request
    }

    [Fact]
    public void TorchvisionStateDictOfAnotherDepthIsRefusedWithTheKeys()
    {
        string r18 = Path.Combine(dir, "r18.pth");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18", "--kind", "frame", "--out", r18).ExitCode);
        // A frame checkpoint's backbone weights start a resnet50 backbone? They must not.
        var r = CliProcess.Run("model", "init", "--arch", "resnet50", "--backbone-weights", r18, "--out", Path.Combine(dir, "x.pth"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{r18}: weights do not fit a resnet50 backbone", r.StdErr);
        Assert.False(File.Exists(Path.Combine(dir, "x.pth")));
    }

    /// <summary>`model export --onnx` from a checkpoint: ONNX Runtime gives the checkpoint's own
    /// outputs (loaded in this process) to 1e-4, and no temporary file is left.</summary>
    [Fact]
    public void ExportedCheckpointRunsInOnnxRuntimeLikeTheCheckpoint()
    {
        string ckpt = Path.Combine(dir, "clip.pth"), onnx = Path.Combine(dir, "clip.onnx");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18-cbam", "--seed", "3", "--out", ckpt).ExitCode);
        var r = CliProcess.Run("model", "export", "--checkpoint", ckpt, "--onnx", onnx);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("resnet18-cbam clip model, 7 classes, opset 17", r.StdOut);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));

        manual_seed(0);
        using var x = randn([1, 2, 3, 64, 64]);
        using var net = (ExpressionNet)Checkpoint.Load(ckpt).Model;
        float[] expected;
        using (inference_mode())
        using (var y = net.forward(x))
            expected = y.data<float>().ToArray();
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(x.data<float>().ToArray(), x.shape);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["clips"], [input], session.OutputNames);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.InRange(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-4);
    }

    [Fact]
    public void ExportOfABadCheckpointNamesItAndWritesNothing()
    {
        string bad = Path.Combine(dir, "bad.pth"), onnx = Path.Combine(dir, "bad.onnx");
        File.WriteAllText(bad, "not weights");
        var r = CliProcess.Run("model", "export", "--checkpoint", bad, "--onnx", onnx);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"videofer: error: {bad}: ", Assert.Single(r.StdErr.Trim().Split('\n')));
        Assert.False(File.Exists(onnx));
    }
}
