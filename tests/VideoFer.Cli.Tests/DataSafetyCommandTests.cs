using System.Diagnostics;
using VideoFer.IO;

namespace VideoFer.Cli.Tests;

/// <summary>Output folders as an adversary would use them (issue 12): checked before any work, one run at
/// a time, never two runs mixed, nothing written outside, parse errors exit 2.</summary>
public class DataSafetyCommandTests : TempFolderTest
{
    string Out => Path.Combine(dir, "out");

    static void AssertOneLineError(CliProcess.Result r, string start)
    {
        Assert.True(r.ExitCode == 1, r.ToString());
        var lines = r.StdErr.Trim().Split('\n');
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith("videofer: error: " + start, lines[0]);
    }

    public static TheoryData<string[]> WritingCommands => new()
    {
        { new[] { "predict", "MEDIA/messi5.jpg" } },
        { new[] { "prepare", "MEDIA/messi5.jpg" } },
        { new[] { "train", "--affwild2", "/", "--set", "iterations=1" } },
        { new[] { "data", "synth", "--videos", "1" } },
    };

    static string[] Args(string[] command, params string[] more) =>
        command.Select(a => a.StartsWith("MEDIA/") ? TestMedia.Path(a[6..]) : a).Concat(more).ToArray();

    [Theory]
    [MemberData(nameof(WritingCommands))]
    public void AnOutThatIsAFileOrUnderProcIsRefusedBeforeAnyWork(string[] command)
    {
        string file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "precious");
        var r = CliProcess.Run(Args(command, "--out", file));
        AssertOneLineError(r, $"--out {file}: is a file");
        Assert.Equal("precious", File.ReadAllText(file));
        Assert.DoesNotContain("frame", r.StdOut); // no model ran, no frame was read

        r = CliProcess.Run(Args(command, "--out", "/proc/videofer-test"));
        AssertOneLineError(r, "--out /proc/videofer-test: cannot");
    }

    [Fact]
    public void PredictNeverMixesTwoInputsAndReplacesItsOwnResultsAsAWhole()
    {
        var first = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out);
        Assert.True(first.ExitCode == 0, first.ToString());
        var messi = FolderTree.Of(Out);
        Assert.Contains(Path.Combine("abaw", "messi5.txt"), messi);
        Assert.Contains("timeline_person1.png", messi);
        Assert.Contains("person1.jpg", messi);
        Assert.Contains("people.csv", messi);

        // Another input into the same folder: refused, nothing touched.
        var other = CliProcess.Run("predict", TestMedia.Path("board.jpg"), "--out", Out);
        AssertOneLineError(other, $"--out {Out}: holds the results of {TestMedia.Path("messi5.jpg")}; choose another folder, or pass --force");
        Assert.Equal(messi, FolderTree.Of(Out));

        // Forced: the earlier results go as a whole (board has no face: no ABAW file, no timeline, no person).
        var forced = CliProcess.Run("predict", TestMedia.Path("board.jpg"), "--out", Out, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("replacing the earlier results of", forced.StdOut);
        Assert.Equal([".videofer-run.json", ".videofer.lock", "annotated.png", "people.csv", "predictions.csv", "report.html"], FolderTree.Of(Out));
        Assert.Single(File.ReadAllLines(Path.Combine(Out, "people.csv")));
        Assert.Single(File.ReadAllLines(Path.Combine(Out, "predictions.csv")));

        // The same input again needs no --force.
        var again = CliProcess.Run("predict", TestMedia.Path("board.jpg"), "--out", Out);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public void PredictRefusesAFolderOfOtherFilesAndLeavesItExactlyAsItWas()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out);
        AssertOneLineError(r, $"--out {Out}: holds files that are not outputs of an earlier `videofer predict` (notes.txt)");
        Assert.Equal(["notes.txt"], FolderTree.Of(Out));
        // --force replaces an earlier predict's results, never other files.
        r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--force");
        AssertOneLineError(r, $"--out {Out}: holds files that are not outputs of an earlier `videofer predict` (notes.txt)");
        Assert.Equal(["notes.txt"], FolderTree.Of(Out));
    }

    [Fact]
    public void ASecondPredictIntoAFolderInUseGetsAClearMessage()
    {
        using (OutputFolder.Open(Out, "predict"))
        {
            var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out);
            AssertOneLineError(r, $"--out {Out}: another VideoFer run is writing to this folder right now");
        }
        var after = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public void PredictOnTheFileSystemRootWritesNothingThere()
    {
        var before = Directory.GetFiles("/").ToHashSet();
        var r = CliProcess.Run("predict", "/", "--out", Out);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Empty(Directory.GetFiles("/").Where(f => !before.Contains(f)));
        Assert.False(Directory.Exists(Out) && FolderTree.Of(Out).Any(n => n != OutputFolder.LockName), string.Join(", ", Directory.Exists(Out) ? FolderTree.Of(Out) : []));
    }

    /// <summary>SIGKILL while the outputs are being written: no complete-looking CSV is left beside a
    /// half video, and the next run cleans up and succeeds.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void AKillWhileWritingLeavesNothingThatLooksCompleteAndTheNextRunCleansUp()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliProcess.Dll, "predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--tiles", "0", "--json" })
            psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            // The outputs are staged once inference is done; kill as soon as the CSV is staged.
            var clock = Stopwatch.StartNew();
            string? staged = null;
            while (staged == null && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                staged = Directory.Exists(Out)
                    ? Directory.GetDirectories(Out, ".staging-*").FirstOrDefault(d => File.Exists(Path.Combine(d, "predictions.csv")))
                    : null;
                if (staged == null) Thread.Sleep(5);
            }
            Assert.True(staged != null, "predict finished before its outputs could be caught while staged");
            p.Kill();
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(Out, "predictions.csv")));
        Assert.False(File.Exists(Path.Combine(Out, "annotated.mp4")));
        Assert.Null(Directory.GetFiles(Out).Select(Path.GetFileName).FirstOrDefault(n => !n!.StartsWith('.')));

        var again = CliProcess.Run("predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--tiles", "0", "--no-video");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty(Directory.GetDirectories(Out, ".staging-*"));
        Assert.True(File.Exists(Path.Combine(Out, "predictions.csv")));
    }

    [Theory]
    [InlineData(new[] { "predict" }, "videofer predict")]
    [InlineData(new[] { "data", "synth", "--bogus", "--out", "x" }, "videofer data synth")]
    [InlineData(new[] { "eval", "--batch-clips", "many" }, "videofer eval")]
    public void ACommandLineThatDoesNotParseExits2WithShortErrorsNotTheHelp(string[] args, string command)
    {
        var r = CliProcess.Run(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        var lines = r.StdErr.Trim().Split('\n');
        Assert.All(lines[..^1], l => Assert.StartsWith("videofer: error: ", l));
        Assert.Equal($"Run '{command} --help' for usage.", lines[^1]);
        Assert.DoesNotContain("Description:", r.StdOut + r.StdErr);
    }
}
