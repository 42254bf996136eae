using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer bench` on small settings: the figures are there, and the optimized network, the
/// network as trained and PyTorch's agree on the outputs. (Speed targets are measured by the benchmark
/// itself and recorded in docs/PERFORMANCE.md, not asserted here.)</summary>
public class BenchCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-bench-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public void NetworkPartsCompareVideoFerWithPyTorchAndOnnxRuntimeOnTheSameWeights()
    {
        var r = CliProcess.Run("bench", "--sections", "inference,train,ceiling", "--archs", "resnet18-cbam", "--batches", "1,2",
            "--input-size", "64", "--repeats", "1", "--train-repeats", "1", "--out", dir, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var root = json.RootElement;
        Assert.StartsWith("1.13", root.GetProperty("machine").GetProperty("pytorch").GetString());
        var inference = root.GetProperty("inference").EnumerateArray().ToList();
        Assert.Equal([1, 2], inference.Select(i => i.GetProperty("clips").GetInt32()));
        foreach (var i in inference)
        {
            Assert.Equal(8 * i.GetProperty("clips").GetInt32(), i.GetProperty("frames").GetInt32());
            Assert.InRange(i.GetProperty("max_diff_optimized_vs_unoptimized").GetDouble(), 0, 1e-4);
            Assert.InRange(i.GetProperty("max_diff_vs_pytorch").GetDouble(), 0, 1e-4);
            Assert.True(i.GetProperty("frames_per_second").GetDouble() > 0);
            Assert.True(i.GetProperty("pytorch_frames_per_second").GetDouble() > 0);
            // The same weights exported to ONNX give ONNX Runtime the optimized network's outputs.
            Assert.InRange(i.GetProperty("max_diff_vs_onnxruntime").GetDouble(), 0, 1e-4);
            Assert.True(i.GetProperty("onnxruntime_frames_per_second").GetDouble() > 0);
            Assert.Contains(i.GetProperty("best_peer").GetString(), new[] { "pytorch", "onnxruntime" });
        }
        Assert.StartsWith("1.31", root.GetProperty("machine").GetProperty("onnxruntime").GetString());
        Assert.True(File.Exists(Path.Combine(dir, "resnet18-cbam.onnx")));
        var step = root.GetProperty("train").EnumerateArray().Single();
        Assert.True(step.GetProperty("videofer").GetProperty("median").GetDouble() > 0);
        Assert.True(step.GetProperty("pytorch").GetProperty("median").GetDouble() > 0);
        Assert.True(root.GetProperty("ceiling").GetProperty("gflops").GetDouble() > 1);
        Assert.True(File.Exists(Path.Combine(dir, "bench.json")));
        Assert.True(new FileInfo(Path.Combine(dir, "bench.png")).Length > 10_000);
    }

    /// <summary>predict with a clip checkpoint and with the default model, and predict's peak memory on
    /// the short video and on a generated longer one.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void PredictAndMemoryPartsRunPredictEndToEnd()
    {
        // Megamind's first 60 frames (two people): the parts run end to end; the bench itself times the whole clip.
        string clip = CorpusMedia.Clip(TestMedia.Megamind, 60, Path.Combine(dir, "megamind60.mp4"));
        var r = CliProcess.Run("bench", "--sections", "predict,memory", "--predict-arch", "resnet18-cbam", "--input-size", "64",
            "--repeats", "1", "--video", clip, "--long-minutes", "0.1", "--long-fps", "12", "--out", dir, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var predict = json.RootElement.GetProperty("predict");
        Assert.Equal(60, predict.GetProperty("frames").GetInt32());
        Assert.InRange(predict.GetProperty("faces").GetInt32(), 40, 600);
        Assert.InRange(predict.GetProperty("fraction_of_backbone").GetDouble(), 0.01, 10);
        Assert.True(predict.GetProperty("default_model_frames_per_second").GetDouble() > 0);
        var memory = json.RootElement.GetProperty("memory");
        Assert.Equal(60, memory.GetProperty("short").GetProperty("frames").GetInt32());
        Assert.Equal(72, memory.GetProperty("long").GetProperty("frames").GetInt32()); // 6 s at 12 frames/s
        foreach (var run in new[] { "short", "long" })
            Assert.InRange(memory.GetProperty(run).GetProperty("peak_resident_mib").GetDouble(), 50, 4000);
    }

    [Theory]
    [InlineData("--sections", "inference,speed", "unknown part 'speed'")]
    [InlineData("--archs", "resnet18-cbam,resnet999", "resnet999")]
    [InlineData("--batches", "1,zero", "'zero' is not a positive number")]
    [InlineData("--video", "/nonexistent/clip.mp4", "/nonexistent/clip.mp4")]
    public void BadOptionsGiveOneClearLine(string option, string value, string expected)
    {
        var r = CliProcess.Run("bench", option, value, "--out", dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }
}
