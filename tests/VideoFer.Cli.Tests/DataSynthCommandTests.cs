using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer data synth` run as a real process.</summary>
public class DataSynthCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-synth-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Arguments for a small dataset; <paramref name="overrides"/> replace values by option name.</summary>
    static string[] Small(string output, params string[] overrides)
    {
        var values = new Dictionary<string, string>
        {
            ["--out"] = output, ["--videos"] = "3", ["--frames-min"] = "20", ["--frames-max"] = "30", ["--affectnet-images"] = "10", ["--seed"] = "4",
        };
        for (int i = 0; i + 1 < overrides.Length; i += 2) values[overrides[i]] = overrides[i + 1];
        return ["data", "synth", .. values.SelectMany(kv => new[] { kv.Key, kv.Value })];
    }

    [Fact]
    public void WritesTheDatasetAndReportsItAsJson()
    {
        var output = Path.Combine(dir, "synth");
        var run = CliProcess.Run([.. Small(output), "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.Equal(3, json.GetProperty("videos").GetInt32());
        Assert.Equal(output, json.GetProperty("path").GetString());
        Assert.True(json.GetProperty("images_per_second").GetDouble() > 0);
        int tracks = json.GetProperty("tracks").GetInt32();
        Assert.Equal(4, tracks); // the second video has two people

        var annotations = Directory.GetFiles(Path.Combine(output, "annotations", "EXPR_Set"), "*.txt", SearchOption.AllDirectories);
        Assert.Equal(tracks, annotations.Length);
        Assert.Contains(annotations, a => a.EndsWith("_left.txt"));
        Assert.All(annotations, a => Assert.Equal("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise", File.ReadLines(a).First()));
        long frames = annotations.Sum(a => File.ReadLines(a).Count() - 1);
        Assert.Equal(json.GetProperty("frames").GetInt64(), frames);
        long images = Directory.GetFiles(Path.Combine(output, "cropped_aligned"), "*.jpg", SearchOption.AllDirectories).Length;
        Assert.Equal(json.GetProperty("images").GetInt64(), images);
        Assert.Equal(10, File.ReadLines(Path.Combine(output, "AffectNet", "Manually_Annotated_file_lists", "training.csv")).Count() - 1
                         + File.ReadLines(Path.Combine(output, "AffectNet", "Manually_Annotated_file_lists", "validation.csv")).Count());
        Assert.True(File.Exists(Path.Combine(output, "synth.json")));
    }

    [Fact]
    public void SameSeedSameBytesAndAReadableSummary()
    {
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        var first = CliProcess.Run(Small(a));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Wrote " + a, first.StdOut);
        Assert.Contains("images/s", first.StdOut);
        var second = CliProcess.Run(Small(b, "--workers", "1"));
        Assert.True(second.ExitCode == 0, second.ToString());
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order().ToArray();
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).Order());
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), f));
    }

    [Fact]
    public void RefusesANonEmptyOutputFolder()
    {
        File.WriteAllText(Path.Combine(dir, "precious.txt"), "keep me");
        var run = CliProcess.Run(Small(dir));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already exists and is not empty", run.StdErr);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.Equal(new[] { "precious.txt" }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--videos", "0", "--videos must be at least 1")]
    [InlineData("--frames-max", "10", "--frames-max (10) must not be less than --frames-min (20)")]
    [InlineData("--size", "8", "--size must be between")]
    [InlineData("--affectnet-images", "-1", "--affectnet-images must not be negative")]
    public void BadValuesGiveOneClearLine(string option, string value, string message)
    {
        var output = Path.Combine(dir, "x");
        var run = CliProcess.Run(Small(output, option, value));
        Assert.Equal(1, run.ExitCode);
        var lines = run.StdErr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"videofer: error: {message}", lines[0]);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void OutIsRequired()
    {
        var run = CliProcess.Run("data", "synth", "--videos", "2");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--out", run.StdErr + run.StdOut);
    }
}
