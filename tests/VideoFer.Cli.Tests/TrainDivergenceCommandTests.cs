namespace VideoFer.Cli.Tests;

/// <summary>`videofer train` with a learning rate no network survives: one line naming the iteration and the
/// likely causes, exit code 1, no stack trace, and a run folder whose report renders and whose log keeps the NaN.</summary>
public class TrainDivergenceCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-diverge-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ADivergingRunStopsWithOneLineAndExitCodeOne()
    {
        string synth = Path.Combine(dir, "synth"), run = Path.Combine(dir, "run");
        var data = CliProcess.Run("data", "synth", "--out", synth, "--videos", "4", "--seed", "3", "--frames-min", "30", "--frames-max", "40",
            "--size", "64", "--affectnet-images", "0");
        Assert.True(data.ExitCode == 0, data.ToString());
        var r = CliProcess.Run("train", "--out", run, "--affwild2", synth, "--arch", "resnet18-cbam", "--set", "lr=1e20", "--iterations", "20",
            "--batch-size", "2", "--set", "input_size=64", "--set", "base_size=72", "--set", "clip_length=4", "--set", "lstm_hidden=16",
            "--set", "fc_hidden=16", "--set", "checkpoint_every=100", "--set", "eval_every=0", "--set", "workers=1");
        Assert.Equal(1, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("videofer: error:"));
        Assert.Contains("training stopped at iteration", error);
        Assert.Contains("learning rate", error);
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.Contains("NaN", File.ReadAllLines(Path.Combine(run, "log.csv"))[^1]);
        Assert.Contains("id=\"diverged\"", File.ReadAllText(Path.Combine(run, "report.html")));
    }
}
