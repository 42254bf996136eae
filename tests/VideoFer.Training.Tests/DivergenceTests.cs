using System.Globalization;
using VideoFer.Models.Runtime;
using VideoFer.Training.Config;
using VideoFer.Training.Reporting;
using VideoFer.Training.Runs;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>A run never trains on NaN: a non-finite loss stops it at that iteration with one message, leaves its
/// checkpoints, logs and report intact, and --resume (with a sane learning rate) continues from the last checkpoint.
/// A CPU that computes a kernel the run needs wrong is refused before training.</summary>
[Collection("synthetic")]
public class DivergenceTests(SyntheticData data) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-diverge-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static List<string[]> Log(string run) => CsvLog.Read(Path.Combine(run, "log.csv")).ToList();

    [Fact]
    public void ADivergingRunStopsAtItsFirstNonFiniteLossAndResumesFromItsLastCheckpoint()
    {
        string run = Path.Combine(dir, "run");
        // Two sane iterations with a checkpoint, then a learning rate no network survives.
        Trainer.Create(data.Tiny("iterations=2", "checkpoint_every=2", "eval_every=0"), run).Run();
        string checkpoint = new RunDirectory(run).CheckpointFor(2);
        byte[] before = File.ReadAllBytes(checkpoint);

        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Resume(run, iterations: 12, learningRate: 1e20).Run());
        Assert.DoesNotContain('\n', e.Message);
        Assert.Matches(@"training stopped at iteration \d+: the loss is (NaN|-?Infinity|∞)", e.Message);
        Assert.Contains("iter-000000002.pth (iteration 2)", e.Message);
        Assert.Contains("--lr", e.Message);

        var log = Log(run);
        var last = log[^1];
        Assert.False(double.IsFinite(double.Parse(last[1], CultureInfo.InvariantCulture)), $"the last logged loss is {last[1]}");
        Assert.All(log.SkipLast(1), r => Assert.True(double.IsFinite(double.Parse(r[1], CultureInfo.InvariantCulture))));
        long stoppedAt = long.Parse(last[0], CultureInfo.InvariantCulture);
        Assert.True(stoppedAt is > 2 and < 12, $"stopped at {stoppedAt}");
        // No checkpoint after the last good one: the diverged iterations were not saved (checkpoint_every 2 would
        // have written iteration 4 if the run had passed it); the good one is untouched.
        Assert.All(new RunDirectory(run).Checkpoints(), c => Assert.True(c.Iteration < stoppedAt));
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
        // The report renders with the stop explained.
        string report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("id=\"diverged\"", report);
        Assert.Contains($"at iteration {stoppedAt}", report);

        // Resumed with a sane learning rate, it continues from the last checkpoint and finishes.
        var outcome = Trainer.Resume(run, learningRate: 0.01).Run();
        Assert.Equal(12, outcome.Iteration);
        log = Log(run);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => i.ToString(CultureInfo.InvariantCulture)), log.Select(r => r[0]));
        Assert.All(log, r => Assert.True(double.IsFinite(double.Parse(r[1], CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void ARunThatDivergesBeforeItsFirstCheckpointKeepsItsLogAndReport()
    {
        string run = Path.Combine(dir, "early");
        Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Create(data.Tiny("iterations=30", "checkpoint_every=100", "eval_every=0", "lr=1e20"), run).Run());
        Assert.True(File.Exists(Path.Combine(run, "config.json")));
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        Assert.False(double.IsFinite(double.Parse(Log(run)[^1][1], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AKernelTheRunNeedsComputedWrongRefusesTheRunInOneLine()
    {
        var config = data.Tiny("arch=resnet18-cbam");
        Assert.Contains(KernelRequirements.For(config), c => c.Use == KernelUse.Cbam);
        Assert.Contains(KernelRequirements.For(config), c => c.Use == KernelUse.Clips);
        Assert.DoesNotContain(KernelRequirements.For(config), c => c.Use is KernelUse.ChannelsLast or KernelUse.Avoided);

        // A kernel made wrong on purpose: float32 results 1% off, as a faulty CPU kernel would give.
        var faulty = new KernelCheck("faulty conv2d", KernelUse.Backbone, "a workaround", (type, repeat) =>
        {
            using var generator = new TorchSharp.torch.Generator(7);
            var x = randn([2, 4, 6, 6], float64, generator: generator).to(type);
            var y = nn.functional.conv2d(x, ones([4, 4, 3, 3], type));
            return [("output", type == ScalarType.Float32 ? y * 1.01 : y)];
        });
        var e = Assert.Throws<VideoFerException>(() => KernelRequirements.Verify(config, [.. KernelRequirements.For(config).Take(1), faulty]));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("faulty conv2d: WRONG, output off by 1E-2", e.Message);
        Assert.Contains("Workaround: a workaround", e.Message);
        Assert.Contains("kernel_check=false", e.Message);
    }
}
