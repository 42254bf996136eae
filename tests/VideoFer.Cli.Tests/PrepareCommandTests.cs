using System.Diagnostics;
using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer prepare` run as a real process on opencv-doc media (tests/fixtures/media,
/// fetched by scripts/fetch-test-media.sh).</summary>
public class PrepareCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-prepare-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Media(string name) => TestMedia.Path(name);

    string Out => Path.Combine(dir, "out");

    [Fact]
    public void PrepareWritesCropsCsvAndMarkersAndSaysWhenNoFaceIsFound()
    {
        var r = CliProcess.Run("prepare", Media("messi5.jpg"), Media("board.jpg"), "--out", Out, "--size", "both");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("messi5: 1 frame, 1 face crops in 1 track(s): messi5", r.StdOut);
        Assert.Contains("board: 1 frame, no face found", r.StdOut);
        Assert.True(File.Exists(Path.Combine(Out, "cropped_aligned", "messi5", "00001.jpg")));
        Assert.True(File.Exists(Path.Combine(Out, "cropped_aligned_256", "messi5", "00001.jpg")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Out, "faces", "messi5.csv")).Length);
        Assert.Single(File.ReadAllLines(Path.Combine(Out, "faces", "board.csv")));
        Assert.False(Directory.Exists(Path.Combine(Out, ".partial")));

        var again = CliProcess.Run("prepare", Media("messi5.jpg"), "--out", Out, "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        using var json = JsonDocument.Parse(again.StdOut);
        Assert.True(json.RootElement[0].GetProperty("skipped").GetBoolean());
    }

    [Theory]
    [InlineData("zero")]
    [InlineData("noise")]
    [InlineData("truncated")]
    public void BadVideoIsOneLineNamingTheFileExitOneAndNoOutput(string kind)
    {
        string bad = Path.Combine(dir, kind == "truncated" ? "Megamind.avi" : "clip.mp4");
        switch (kind)
        {
            case "zero": File.WriteAllBytes(bad, []); break;
            case "noise": File.WriteAllBytes(bad, Enumerable.Range(0, 50_000).Select(i => (byte)(i * 2654435761 >> 13)).ToArray()); break;
            case "truncated":
                var all = File.ReadAllBytes(Media("Megamind.avi"));
                File.WriteAllBytes(bad, all.AsSpan(0, all.Length / 2).ToArray());
                break;
        }
        var r = CliProcess.Run("prepare", bad, "--out", Out, "--tiles", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"videofer: error: {bad}: ", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(Out, "cropped_aligned")));
        Assert.False(File.Exists(Path.Combine(Out, "faces", Path.GetFileNameWithoutExtension(bad) + ".done")));
    }

    [Fact]
    public void OneBadInputAmongGoodOnesStillPreparesTheOthersAndExitsFour()
    {
        string bad = Path.Combine(dir, "empty.mp4");
        File.WriteAllBytes(bad, []);
        var r = CliProcess.Run("prepare", bad, Media("messi5.jpg"), "--out", Out);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains($"videofer: error: {bad}: the file is empty", r.StdErr);
        Assert.Contains("1 of 2 inputs failed", r.StdErr);
        Assert.True(File.Exists(Path.Combine(Out, "faces", "messi5.done")));
    }

    [Fact]
    public void ShardsSplitTheInputsWithoutOverlap()
    {
        var inputs = Enumerable.Range(1, 6).Select(i =>
        {
            var p = Path.Combine(dir, $"pic{i}.jpg");
            File.Copy(Media(i % 2 == 0 ? "messi5.jpg" : "board.jpg"), p);
            return p;
        }).ToArray();
        var done = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var r = CliProcess.Run(["prepare", .. inputs, "--out", Out, "--shard", $"{i}/3", "--json", "--tiles", "0"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            using var json = JsonDocument.Parse(r.StdOut);
            var stems = json.RootElement.EnumerateArray().Select(e => e.GetProperty("stem").GetString()!).ToList();
            Assert.All(stems, s => Assert.DoesNotContain(s, done));
            done.AddRange(stems);
        }
        Assert.Equal(inputs.Select(Path.GetFileNameWithoutExtension).Order(), done.Order());
    }

    /// <summary>Without --shard, a Kubernetes Indexed Job's pods take their shares from the environment,
    /// exactly as --shard i/n would.</summary>
    [Fact]
    public void ShardsComeFromTheSchedulersEnvironmentWithoutTheFlag()
    {
        var inputs = Enumerable.Range(1, 6).Select(i =>
        {
            var p = Path.Combine(dir, $"pic{i}.jpg");
            File.Copy(Media(i % 2 == 0 ? "messi5.jpg" : "board.jpg"), p);
            return p;
        }).ToArray();
        for (int i = 1; i <= 3; i++)
        {
            var byEnv = CliProcess.RunWith(new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = (i - 1).ToString(), ["VIDEOFER_SHARD_COUNT"] = "3" },
                ["prepare", .. inputs, "--out", Path.Combine(dir, $"env{i}"), "--json", "--tiles", "0"]);
            var byFlag = CliProcess.Run(["prepare", .. inputs, "--out", Path.Combine(dir, $"flag{i}"), "--shard", $"{i}/3", "--json", "--tiles", "0"]);
            Assert.True(byEnv.ExitCode == 0, byEnv.ToString());
            Assert.Equal(Stems(byFlag.StdOut), Stems(byEnv.StdOut));
        }
        static List<string> Stems(string json) =>
            JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("stem").GetString()!).ToList();
    }

    [Theory]
    [InlineData("--shard", "4/3", "--shard 4/3")]
    public void BadOptionsAreOneClearLine(string option, string value, string expected)
    {
        var r = CliProcess.Run("prepare", Media("messi5.jpg"), "--out", Out, option, value);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("videofer: error: ", r.StdErr);
        Assert.Contains(expected, r.StdErr);
    }

    /// <summary>Defect 9: `predict --tiles 1000` ran for over 10 minutes and -1 was taken. Both commands
    /// refuse an out-of-range count while parsing: nothing is written, no model is loaded.</summary>
    [Theory]
    [InlineData("prepare", "-1")]
    [InlineData("prepare", "9")]
    [InlineData("predict", "-1")]
    [InlineData("predict", "9")]
    public void TilesOutOfRangeAreRefusedWhileParsing(string command, string tiles)
    {
        var r = CliProcess.Run(command, Media("messi5.jpg"), "--out", Out, "--tiles", tiles);
        Assert.True(r.ExitCode == 2, r.ToString()); // the command line does not parse (README: exit codes)
        Assert.Contains($"videofer: error: --tiles must be between 0 and 8, got {tiles}", r.StdErr);
        Assert.DoesNotContain("Description:", r.StdErr + r.StdOut); // not the whole help text
        Assert.False(Directory.Exists(Out), "work started");
    }

    [Fact]
    public void MissingInputIsNamed()
    {
        var missing = Path.Combine(dir, "nope.mp4");
        var r = CliProcess.Run("prepare", missing, "--out", Out);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {missing}: no such file or folder", r.StdErr.Trim());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void PreparesMegamindEndToEndWithTilingAndLeftRightNames()
    {
        var r = CliProcess.Run("prepare", Media("Megamind.avi"), "--out", Out, "--json", "--left-right");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var v = json.RootElement[0];
        Assert.Equal(270, v.GetProperty("frames").GetInt32());
        var streams = v.GetProperty("streams").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(streams.Count >= 4, string.Join(",", streams)); // four shots with faces
        var csv = File.ReadAllLines(Path.Combine(Out, "faces", "Megamind.csv"));
        Assert.Equal(v.GetProperty("faces").GetInt32(), csv.Length - 1);
        foreach (var s in streams)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Out, "cropped_aligned", s), "?????.jpg"));
    }
}
