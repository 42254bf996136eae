using VideoFer.IO;

namespace VideoFer.Tests.IO;

/// <summary>The output-folder rules every writing command follows: checked before any work, held by one
/// run at a time, never mixing two runs, and cleaning only what VideoFer itself left.</summary>
public class OutputFolderTests
{
    static void Commit(OutputFolder folder, string input, params (string Name, string Text)[] files)
    {
        string staging = folder.Stage();
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        folder.Commit(staging, input);
    }

    [Fact]
    public void AFileOrAnUnwritablePlaceIsRefusedWithOneClearLine()
    {
        using var dir = new TempDir();
        string file = dir.Write("a-file", "x");
        var e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(file, "predict"));
        Assert.Equal($"--out {file}: is a file; --out must name a folder", e.Message);
        e = Assert.Throws<VideoFerException>(() => OutputFolder.Open("/proc/videofer-out", "predict"));
        Assert.StartsWith("--out /proc/videofer-out: cannot", e.Message);
        e = Assert.Throws<VideoFerException>(() => OutputFolder.Open("/proc", "predict"));
        Assert.StartsWith("--out /proc: cannot write in this folder", e.Message);
        e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(Path.Combine(file, "below"), "predict"));
        Assert.StartsWith($"--out {Path.Combine(file, "below")}: cannot", e.Message);
        Assert.Throws<VideoFerException>(() => OutputFolder.Open("/", "predict"));
    }

    [Fact]
    public void ASecondRunIntoTheSameFolderIsRefusedWhileTheFirstHoldsIt()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        using (OutputFolder.Open(root, "predict"))
        {
            // The first run's file in progress has the shape of an orphan: the refused run must not touch it.
            string inProgress = AtomicFile.TemporaryPathFor(Path.Combine(root, "predictions.csv"));
            File.WriteAllText(inProgress, "being written");
            var e = Assert.Throws<FolderBusyException>(() => OutputFolder.Open(root, "predict")); // a VideoFerException that says "busy"
            Assert.Contains("another VideoFer run is writing to this folder right now", e.Message);
            Assert.True(File.Exists(inProgress));
            Assert.True(File.Exists(Path.Combine(root, OutputFolder.LockName)));
        }
        using (OutputFolder.Open(root, "predict")) { } // released on dispose
    }

    [Fact]
    public void ANewRunReplacesTheEarlierOutputsAsAWholeAndNothingElse()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        using (var folder = OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs))
        {
            Assert.Null(folder.CheckReuse("/v/a.mp4", force: false));
            Commit(folder, "/v/a.mp4", ("predictions.csv", "a"), ("timeline_track1.png", "a"), ("timeline_track2.png", "a"), ("abaw/a_1.txt", "a"));
        }
        Assert.Equal(new[] { ".videofer-run.json", ".videofer.lock", "abaw", "abaw/a_1.txt", "predictions.csv", "timeline_track1.png", "timeline_track2.png" }, FolderTree.Of(root));

        using (var folder = OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs))
        {
            // Another input: refused unless forced, and nothing was touched.
            var e = Assert.Throws<VideoFerException>(() => folder.CheckReuse("/v/b.mp4", force: false));
            Assert.Equal($"--out {root}: holds the results of /v/a.mp4; choose another folder, or pass --force to replace them with those of /v/b.mp4", e.Message);
            Assert.Equal("/v/a.mp4", folder.CheckReuse("/v/b.mp4", force: true)!.Input);
            Commit(folder, "/v/b.mp4", ("predictions.csv", "b"), ("timeline_track1.png", "b"), ("abaw/b.txt", "b"));
        }
        // track2's timeline and a_1.txt were the earlier run's: gone; the new set is all there.
        Assert.Equal(new[] { ".videofer-run.json", ".videofer.lock", "abaw", "abaw/b.txt", "predictions.csv", "timeline_track1.png" }, FolderTree.Of(root));
        Assert.Equal("b", File.ReadAllText(Path.Combine(root, "predictions.csv")));
    }

    [Fact]
    public void FilesThatAreNotAnEarlierRunsAreNeverMixedWithAndLeftAsTheyWere()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        dir.Write("out/thesis.docx", "precious");
        var e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs));
        Assert.Equal($"--out {root}: holds files that are not outputs of an earlier `videofer predict` (thesis.docx); choose a new or empty folder", e.Message);
        e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(root, "data synth", use: FolderUse.Empty));
        Assert.StartsWith($"--out {root}: already exists and is not empty (thesis.docx)", e.Message);
        Assert.Equal(new[] { "thesis.docx" }, FolderTree.Of(root)); // not even a lock file was added
    }

    [Fact]
    public void WhatAKilledRunLeftIsRemovedByTheNextAndOnlyThat()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        using (var folder = OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs))
            Commit(folder, "/v/a.mp4", ("predictions.csv", "a"));
        // A run killed while writing: a staging folder, an AtomicFile temporary, and a user's file
        // whose name only resembles one (no 32-hex suffix).
        dir.Write("out/.staging-0123456789abcdef0123456789abcdef/predictions.csv", "half");
        dir.Write($"out/.annotated.tmp-{Guid.NewGuid():N}.mp4", "half");
        dir.Write("out/abaw/.x.tmp-1.txt", "not ours");
        var e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs));
        Assert.Contains("(abaw)", e.Message);
        File.Delete(Path.Combine(root, "abaw", ".x.tmp-1.txt"));
        Directory.Delete(Path.Combine(root, "abaw"));
        using (OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs)) { }
        Assert.Equal(new[] { ".videofer-run.json", ".videofer.lock", "predictions.csv" }, FolderTree.Of(root));
    }

    [Fact]
    public void AKillDuringTheSwapLeavesNoMixThatLooksComplete()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        using (var folder = OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs))
            Commit(folder, "/v/a.mp4", ("predictions.csv", "a"), ("timeline_track1.png", "a"));
        // As left by a kill after the new set's record was written and one file moved.
        File.WriteAllText(Path.Combine(root, ".videofer-run.next.json"),
            """{"command":"predict","input":"/v/b.mp4","finished":"2026-12-01T00:00:00+00:00","files":["predictions.csv","annotated.mp4"]}""");
        File.WriteAllText(Path.Combine(root, "predictions.csv"), "b");
        File.WriteAllText(Path.Combine(root, "annotated.mp4"), "b");
        using (var folder = OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs))
            Assert.Null(folder.Previous);
        Assert.Equal(new[] { ".videofer.lock" }, FolderTree.Of(root));
    }

    [Fact]
    public void AManifestThatNamesPathsOutsideTheFolderIsRefusedNotFollowed()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out");
        dir.Write("precious.txt", "keep");
        dir.Write("out/.videofer-run.json",
            """{"command":"predict","input":"/v/a.mp4","finished":"2026-12-01T00:00:00+00:00","files":["../precious.txt"]}""");
        var e = Assert.Throws<VideoFerException>(() => OutputFolder.Open(root, "predict", use: FolderUse.OwnOutputs));
        Assert.Contains(".videofer-run.json: VideoFer's record of an earlier run is unreadable", e.Message);
        Assert.True(File.Exists(dir.Combine("precious.txt")));
    }

    [Fact]
    public void AFolderCreatedForARunThatWroteNothingIsRemovedAgain()
    {
        using var dir = new TempDir();
        string root = dir.Combine("new");
        using (var folder = OutputFolder.Open(root, "train")) Assert.True(folder.Created);
        Assert.False(Directory.Exists(root));
        Directory.CreateDirectory(root);
        using (var folder = OutputFolder.Open(root, "train")) Assert.False(folder.Created);
        Assert.True(Directory.Exists(root)); // the user's folder stays
    }

    [Fact]
    public void OrphanedTemporaryFilesOfOneTargetAreRecognisedByShapeOnly()
    {
        using var dir = new TempDir();
        string target = dir.Combine("faces", "clip.done");
        string orphan = AtomicFile.TemporaryPathFor(target);
        dir.Write(Path.GetRelativePath(dir.Path, orphan), "half");
        string other = AtomicFile.TemporaryPathFor(dir.Combine("faces", "clip2.done"));
        dir.Write(Path.GetRelativePath(dir.Path, other), "another video's, in progress");
        Assert.Equal(1, AtomicFile.RemoveOrphansOf(target));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(other));
    }
}
