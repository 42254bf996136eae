using System.Globalization;
using System.Text.Json;
using VideoFer.Data.Synthetic;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>The VA and AU files sit beside the EXPR ones in each edition's folders, with the right headers,
/// one line per frame, sentinels where unannotated, and tracks missing tasks as in Aff-Wild2.</summary>
public class TaskAnnotationLayoutTests
{
    static SynthOptions Small(ulong seed) => new()
    {
        Videos = 3, Seed = seed, FramesMin = 40, FramesMax = 60, Size = 48, AffectNetImages = 0, Workers = 2,
    };

    static JsonElement Manifest(string root) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "synth.json"))).RootElement;

    // Folder names as the organisers' releases have them (COMMON layouts), written out here independently of SynthLayout.
    public static TheoryData<string, string, string, string, string, string, string> Editions => new()
    {
        { "2020", "EXPR_Set", "VA_Set", "AU_Set", "Training_Set", TaskFiles.Expr7Header, TaskFiles.Au2020Header },
        { "2021", "EXPR_Set", "VA_Set", "AU_Set", "Train_Set", TaskFiles.Expr7Header, TaskFiles.Au2021Header },
        { "2022", "EXPR_Classification_Challenge", "VA_Estimation_Challenge", "AU_Detection_Challenge", "Train_Set", TaskFiles.Expr8Header, TaskFiles.Au2021Header },
        { "2023", "EXPR_Classification_Challenge", "VA_Estimation_Challenge", "AU_Detection_Challenge", "Train_Set", TaskFiles.Expr8Header, TaskFiles.Au2021Header },
        { "2024", "EXPR_Recognition_Challenge", "VA_Estimation_Challenge", "AU_Detection_Challenge", "Train_Set", TaskFiles.Expr8Header, TaskFiles.Au2021Header },
    };

    [Theory]
    [MemberData(nameof(Editions))]
    public void EveryTrackHasVaAndAuFilesBesideItsExprFileWithOneLinePerFrame(
        string year, string exprFolder, string vaFolder, string auFolder, string trainFolder, string exprHeader, string auHeader)
    {
        using var dir = new TempDir();
        var edition = AffWild2Editions.Parse(year);
        var options = Small(21) with { Edition = edition, MissingTaskTracks = 0, UnannotatedFrames = 0.3 };
        var root = dir.Combine("synth");
        var summary = new SyntheticDatasetWriter(options).Write(root);

        long vaAnnotated = 0, auAnnotated = 0, exprAnnotated = 0, vaSentinels = 0, auSentinels = 0;
        int tracks = 0;
        foreach (var split in new[] { trainFolder, "Validation_Set" })
        {
            var expr = TaskFiles.Stems(Path.Combine(root, "annotations", exprFolder, split));
            var va = TaskFiles.Stems(Path.Combine(root, "annotations", vaFolder, split));
            var au = TaskFiles.Stems(Path.Combine(root, "annotations", auFolder, split));
            Assert.NotEmpty(expr);
            Assert.Equal(expr.Keys.Order(), va.Keys.Order());
            Assert.Equal(expr.Keys.Order(), au.Keys.Order());
            foreach (var (stem, file) in expr)
            {
                tracks++;
                var labels = TaskFiles.ReadExpr(file, exprHeader);
                var vaRows = TaskFiles.ReadVa(va[stem]);
                var auRows = TaskFiles.ReadAu(au[stem], auHeader);
                // Same frame count in the three files and in the track's image folder's range.
                Assert.Equal(labels.Length, vaRows.Length);
                Assert.Equal(labels.Length, auRows.Length);
                Assert.InRange(labels.Length, options.FramesMin, options.FramesMax);
                Assert.True(Directory.Exists(Path.Combine(root, "cropped_aligned", stem)));
                exprAnnotated += labels.Count(l => l >= 0);
                vaAnnotated += vaRows.Count(r => !double.IsNaN(r.V));
                vaSentinels += vaRows.Count(r => double.IsNaN(r.V));
                auAnnotated += auRows.Count(r => r != null);
                auSentinels += auRows.Count(r => r == null);
            }
        }
        Assert.Equal(summary.Tracks, tracks);
        Assert.True(vaSentinels > 0 && auSentinels > 0, $"{vaSentinels} VA and {auSentinels} AU sentinel lines");
        Assert.True(vaAnnotated > vaSentinels && auAnnotated > auSentinels);

        var json = Manifest(root);
        Assert.Equal(vaAnnotated, json.GetProperty("annotated_frames").GetProperty("va").GetInt64());
        Assert.Equal(auAnnotated, json.GetProperty("annotated_frames").GetProperty("au").GetInt64());
        Assert.Equal(exprAnnotated, json.GetProperty("annotated_frames").GetProperty("expr").GetInt64());
        Assert.Equal(tracks, json.GetProperty("annotated_tracks").GetProperty("va").GetInt32());
        Assert.Equal("expr,va,au", json.GetProperty("tasks").GetString());
        // The project's own expression reader finds the edition the files were written for.
        Assert.Equal(edition, AffWild2Layout.Detect(root).Edition);
    }

    [Fact]
    public void SomeTracksLackTasksSoEveryCombinationOfIncompleteLabelsOccurs()
    {
        using var dir = new TempDir();
        var options = Small(5) with { Videos = 24, FramesMin = 20, FramesMax = 24, MissingTaskTracks = 0.5, MissingExpressionTracks = 0.5 };
        var root = dir.Combine("synth");
        var summary = new SyntheticDatasetWriter(options).Write(root);

        var stems = Directory.GetDirectories(Path.Combine(root, "cropped_aligned")).Select(Path.GetFileName).ToHashSet();
        Assert.Equal(summary.Tracks, stems.Count);
        var byTask = new Dictionary<string, Dictionary<string, bool>>();
        foreach (var (task, folder) in new[] { ("expr", "EXPR_Set"), ("va", "VA_Set"), ("au", "AU_Set") })
        {
            var training = TaskFiles.Stems(Path.Combine(root, "annotations", folder, "Training_Set"));
            var validation = TaskFiles.Stems(Path.Combine(root, "annotations", folder, "Validation_Set"));
            // Every task keeps files in both splits.
            Assert.NotEmpty(training);
            Assert.NotEmpty(validation);
            byTask[task] = training.Keys.Select(s => (s, false)).Concat(validation.Keys.Select(s => (s, true))).ToDictionary(p => p.s, p => p.Item2);
            Assert.Equal(byTask[task].Count, Manifest(root).GetProperty("annotated_tracks").GetProperty(task).GetInt32());
        }
        var combos = stems.Select(s => string.Join('+', byTask.Where(t => t.Value.ContainsKey(s!)).Select(t => t.Key))).ToList();
        Assert.DoesNotContain("", combos); // every track is annotated for something
        foreach (var combo in new[] { "expr", "va", "au", "expr+va+au" })
            Assert.Contains(combo, combos);
        // A track's files of different tasks are in the same split.
        foreach (var s in stems)
            Assert.Single(byTask.Values.Where(t => t.ContainsKey(s!)).Select(t => t[s!]).Distinct());
    }

    [Fact]
    public void NoMissingTracksAndNoGapsMeansEveryFrameIsAnnotated()
    {
        using var dir = new TempDir();
        var root = dir.Combine("synth");
        var summary = new SyntheticDatasetWriter(Small(8) with { MissingTaskTracks = 0, UnannotatedFrames = 0 }).Write(root);
        var va = Directory.GetFiles(Path.Combine(root, "annotations", "VA_Set"), "*.txt", SearchOption.AllDirectories);
        var au = Directory.GetFiles(Path.Combine(root, "annotations", "AU_Set"), "*.txt", SearchOption.AllDirectories);
        Assert.Equal(summary.Tracks, va.Length);
        Assert.Equal(summary.Tracks, au.Length);
        Assert.All(va, f => Assert.DoesNotContain(TaskFiles.ReadVa(f), r => double.IsNaN(r.V)));
        Assert.All(au, f => Assert.DoesNotContain(TaskFiles.ReadAu(f, TaskFiles.Au2020Header), r => r == null));
        Assert.Equal(summary.Frames, summary.AnnotatedFrames["va"]);
        Assert.Equal(summary.Frames, summary.AnnotatedFrames["au"]);
    }

    static Dictionary<string, byte[]> Files(string root, string relative) =>
        Directory.Exists(Path.Combine(root, relative))
            ? Directory.GetFiles(Path.Combine(root, relative), "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes)
            : [];

    static void AssertSameFiles(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b)
    {
        Assert.NotEmpty(a);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (path, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[path]), path);
    }

    [Fact]
    public void TasksChooseTheFilesWrittenAndLeaveTheOthersUnchanged()
    {
        using var dir = new TempDir();
        string all = dir.Combine("all"), expr = dir.Combine("expr"), va = dir.Combine("va");
        new SyntheticDatasetWriter(Small(3)).Write(all);
        new SyntheticDatasetWriter(Small(3) with { Tasks = AbawTasks.Expression }).Write(expr);
        new SyntheticDatasetWriter(Small(3) with { Tasks = AbawTaskNames.Parse("va") }).Write(va);

        Assert.Equal(new[] { "EXPR_Set" }, Directory.GetDirectories(Path.Combine(expr, "annotations")).Select(Path.GetFileName));
        Assert.Equal(new[] { "VA_Set" }, Directory.GetDirectories(Path.Combine(va, "annotations")).Select(Path.GetFileName));
        // The expression files, the images and the VA files do not depend on which other tasks are written.
        AssertSameFiles(Files(all, "annotations/EXPR_Set"), Files(expr, "annotations/EXPR_Set"));
        AssertSameFiles(Files(all, "cropped_aligned"), Files(va, "cropped_aligned"));
        var vaAll = Files(all, "annotations/VA_Set");
        var vaOnly = Files(va, "annotations/VA_Set");
        // Without EXPR or AU the tracks that had only those now have VA, so compare the files both hold.
        Assert.NotEmpty(vaAll);
        foreach (var (path, bytes) in vaAll)
            Assert.True(bytes.AsSpan().SequenceEqual(vaOnly[path]), path);
        Assert.Equal("va", Manifest(va).GetProperty("tasks").GetString());
        Assert.False(Manifest(va).GetProperty("annotated_frames").TryGetProperty("expr", out _));
    }

    [Fact]
    public void TheSameSeedWritesTheSameLabelsAndAnotherSeedOthers()
    {
        using var dir = new TempDir();
        new SyntheticDatasetWriter(Small(4)).Write(dir.Combine("a"));
        new SyntheticDatasetWriter(Small(4) with { Workers = 1 }).Write(dir.Combine("b"));
        new SyntheticDatasetWriter(Small(9)).Write(dir.Combine("c"));
        foreach (var folder in new[] { "annotations/VA_Set", "annotations/AU_Set" })
        {
            var a = Files(dir.Combine("a"), folder);
            AssertSameFiles(a, Files(dir.Combine("b"), folder));
            var c = Files(dir.Combine("c"), folder);
            foreach (var path in a.Keys.Intersect(c.Keys))
                Assert.False(a[path].AsSpan().SequenceEqual(c[path]), path);
        }
    }

    [Fact]
    public void MultiTaskListsHoldARowPerImageThatAgreesWithTheTaskFiles()
    {
        using var dir = new TempDir();
        var root = dir.Combine("synth");
        var options = Small(6) with { Videos = 6, Edition = AffWild2Edition.Abaw2022, MultiTaskFiles = true, MissingTaskTracks = 0.4 };
        var summary = new SyntheticDatasetWriter(options).Write(root);
        const string header = "image,valence,arousal,expression,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";
        long rows = 0;
        bool sawMissingVa = false, sawMissingAu = false;
        foreach (var (list, split) in new[] { ("training_set_annotations.txt", "Train_Set"), ("validation_set_annotations.txt", "Validation_Set") })
        {
            var (head, lines) = TaskFiles.Lines(Path.Combine(root, list));
            Assert.Equal(header, head);
            var expr = TaskFiles.Stems(Path.Combine(root, "annotations", "EXPR_Classification_Challenge", split));
            var va = TaskFiles.Stems(Path.Combine(root, "annotations", "VA_Estimation_Challenge", split));
            var au = TaskFiles.Stems(Path.Combine(root, "annotations", "AU_Detection_Challenge", split));
            var images = expr.Keys.SelectMany(s => Directory.GetFiles(Path.Combine(root, "cropped_aligned", s)).Select(f => $"{s}/{Path.GetFileName(f)}")).ToHashSet();
            Assert.Equal(images.Order(StringComparer.Ordinal), lines.Select(l => l[..l.IndexOf(',')]).Order(StringComparer.Ordinal));
            foreach (var line in lines)
            {
                var f = line.Split(',');
                Assert.Equal(16, f.Length);
                string stem = f[0][..f[0].IndexOf('/')];
                int frame = int.Parse(f[0][(stem.Length + 1)..^4], CultureInfo.InvariantCulture);
                var vaLine = va.TryGetValue(stem, out var vaFile) ? TaskFiles.Lines(vaFile).Rows[frame - 1] : "-5,-5";
                sawMissingVa |= vaFile == null;
                Assert.Equal(vaLine, $"{f[1]},{f[2]}");
                Assert.Equal(TaskFiles.Lines(expr[stem]).Rows[frame - 1], f[3]);
                var auLine = au.TryGetValue(stem, out var auFile) ? TaskFiles.Lines(auFile).Rows[frame - 1] : string.Join(',', Enumerable.Repeat("-1", 12));
                sawMissingAu |= auFile == null;
                Assert.Equal(auLine, string.Join(',', f[4..]));
            }
            rows += lines.Length;
        }
        Assert.Equal(summary.Images, rows);
        Assert.Equal(rows, summary.MultiTaskRows);
        Assert.True(sawMissingVa && sawMissingAu, "some rows should come from tracks without VA or AU files");
    }

    [Fact]
    public void MultiTaskListsNeedEdition2022AndBadFractionsAreRefused()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<VideoFerException>(() => new SyntheticDatasetWriter(Small(1) with { MultiTaskFiles = true }).Write(dir.Combine("x")));
        Assert.Contains("--mtl needs --edition 2022", e.Message);
        e = Assert.Throws<VideoFerException>(() => new SyntheticDatasetWriter(Small(1) with { MissingTaskTracks = 1.5 }).Write(dir.Combine("y")));
        Assert.Contains("--missing-task-tracks must be between 0 and 1", e.Message);
        e = Assert.Throws<VideoFerException>(() => new SyntheticDatasetWriter(Small(1) with { UnannotatedFrames = double.NaN }).Write(dir.Combine("z")));
        Assert.Contains("--unannotated-frames", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
