using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer data synth --tasks/--edition/--mtl` run as a real process.</summary>
public class DataSynthTasksCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-synth-tasks-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string[] Small(string output, params string[] more) =>
        ["data", "synth", "--out", output, "--videos", "3", "--frames-min", "20", "--frames-max", "30", "--affectnet-images", "0", "--seed", "4", "--size", "48", .. more];

    [Fact]
    public void TasksAndEditionChooseTheFilesAndTheSummaryCountsThem()
    {
        var output = Path.Combine(dir, "synth");
        var run = CliProcess.Run([.. Small(output, "--tasks", "va,au", "--edition", "2022", "--mtl", "--missing-task-tracks", "0", "--unannotated-frames", "0"), "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.Equal("va,au", json.GetProperty("tasks").GetString());
        Assert.Equal("2022/2023", json.GetProperty("edition").GetString());
        Assert.Equal(new[] { "AU_Detection_Challenge", "VA_Estimation_Challenge" },
            Directory.GetDirectories(Path.Combine(output, "annotations")).Select(Path.GetFileName).Order());
        long frames = json.GetProperty("frames").GetInt64();
        foreach (var (task, folder) in new[] { ("va", "VA_Estimation_Challenge"), ("au", "AU_Detection_Challenge") })
        {
            var files = Directory.GetFiles(Path.Combine(output, "annotations", folder), "*.txt", SearchOption.AllDirectories);
            Assert.Equal(json.GetProperty("tracks").GetInt32(), files.Length);
            Assert.Equal(frames, files.Sum(f => File.ReadLines(f).Count() - 1));
            Assert.Equal(frames, json.GetProperty("annotated_frames").GetProperty(task).GetInt64());
        }
        // Without EXPR files the multi-task lists give every image -1 for the expression.
        var rows = File.ReadLines(Path.Combine(output, "training_set_annotations.txt")).Skip(1)
            .Concat(File.ReadLines(Path.Combine(output, "validation_set_annotations.txt")).Skip(1)).ToArray();
        Assert.Equal(json.GetProperty("images").GetInt64(), rows.Length);
        Assert.All(rows, r => Assert.Equal("-1", r.Split(',')[3]));
    }

    [Theory]
    [InlineData("--tasks", "expr,pose", "tasks: unknown task 'pose'")]
    [InlineData("--edition", "2019", "unknown Aff-Wild2 edition '2019'")]
    [InlineData("--mtl", null, "--mtl needs --edition 2022")]
    [InlineData("--unannotated-frames", "2", "--unannotated-frames must be between 0 and 0.9")]
    public void BadTaskOptionsGiveOneClearLine(string option, string? value, string message)
    {
        var output = Path.Combine(dir, "x");
        var run = CliProcess.Run(value == null ? Small(output, option) : Small(output, option, value));
        Assert.Equal(1, run.ExitCode);
        var lines = run.StdErr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"videofer: error: {message}", lines[0]);
        Assert.False(Directory.Exists(output));
    }
}
