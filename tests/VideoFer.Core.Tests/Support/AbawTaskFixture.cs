using System.Globalization;
using System.Text;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Tests.Support;

/// <summary>What a fixture wrote for one stem: the labels of each task it has a file for (null where it
/// has none; NaN valence-arousal and -1 AUs where the file marks a frame unannotated) and its images.</summary>
public sealed record TaskFixtureTrack(string Split, string Stem, int[]? Expression, float[]? Valence, float[]? Arousal,
    sbyte[][]? ActionUnits, IReadOnlySet<int> Images)
{
    public int FrameCount => new[] { Expression?.Length ?? 0, Valence?.Length ?? 0, ActionUnits?.Length ?? 0 }.Max();
}

/// <summary>Writes small Aff-Wild2 copies with the expression, valence-arousal and action unit folders of
/// any edition (or the 2022 multi-task files), random but seeded, and remembers what it wrote so tests
/// compare the reader with it. The folder names, headers and AU lists are written out here literally,
/// independently of the reader's own tables.</summary>
public static class AbawTaskFixture
{
    public static readonly string[] Aus2020 = ["AU1", "AU2", "AU4", "AU6", "AU12", "AU15", "AU20", "AU25"];
    public static readonly string[] Aus2021 = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    public static string[] AusOf(AffWild2Edition edition) => edition == AffWild2Edition.Abaw2020 ? Aus2020 : Aus2021;

    /// <summary>The task folder relative to the dataset root, as each edition ships it.</summary>
    public static string TaskFolder(AbawTasks task, AffWild2Edition edition)
    {
        var (expr, va, au) = edition switch
        {
            AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 => ("EXPR_Set", "VA_Set", "AU_Set"),
            AffWild2Edition.Abaw2022 => ("EXPR_Classification_Challenge", "VA_Estimation_Challenge", "AU_Detection_Challenge"),
            _ => ("EXPR_Recognition_Challenge", "VA_Estimation_Challenge", "AU_Detection_Challenge"),
        };
        var name = task switch { AbawTasks.Expression => expr, AbawTasks.ValenceArousal => va, _ => au };
        return edition == AffWild2Edition.Abaw2020 ? Path.Combine("annotations", name) : name;
    }

    public static string SplitFolder(string split, AffWild2Edition edition) =>
        split == Splits.Validation ? "Validation_Set" : edition == AffWild2Edition.Abaw2020 ? "Training_Set" : "Train_Set";

    /// <summary>The stems written and the tasks each has a file for (before restricting to the tasks asked for).</summary>
    static readonly (string Split, string Stem, AbawTasks Tasks)[] Stems =
    [
        (Splits.Train, "1-30-1280x720", AbawTasks.All),
        (Splits.Train, "122-60-1920x1080-3_left", AbawTasks.Expression | AbawTasks.ValenceArousal),
        (Splits.Train, "122-60-1920x1080-3_right", AbawTasks.ActionUnits),
        (Splits.Train, "video10_1", AbawTasks.ValenceArousal),
        (Splits.Validation, "118-30-640x480", AbawTasks.All),
        (Splits.Validation, "video2", AbawTasks.Expression),
        (Splits.Validation, "video5", AbawTasks.ValenceArousal | AbawTasks.ActionUnits),
    ];

    /// <summary>Writes the folders of <paramref name="tasks"/> of an edition under <paramref name="root"/>,
    /// with images in <c>root/cropped_aligned</c>. Each task file of a stem has its own length.</summary>
    public static List<TaskFixtureTrack> Create(string root, AffWild2Edition edition, AbawTasks tasks, int seed = 1,
        TextVariant variant = TextVariant.Plain)
    {
        var random = new Random(seed);
        var tracks = new List<TaskFixtureTrack>();
        int classes = edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? 7 : 8;
        var aus = AusOf(edition);
        foreach (var (split, stem, stemTasks) in Stems)
        {
            var has = stemTasks & tasks;
            if (has == AbawTasks.None)
                continue;
            int[]? expression = null;
            float[]? valence = null, arousal = null;
            sbyte[][]? actionUnits = null;
            string Dir(AbawTasks task) => Path.Combine(root, TaskFolder(task, edition), SplitFolder(split, edition));
            if (has.HasFlag(AbawTasks.Expression))
            {
                expression = Enumerable.Range(0, random.Next(10, 30)).Select(_ => random.Next(-1, classes)).ToArray();
                Write(Path.Combine(Dir(AbawTasks.Expression), stem + ".txt"),
                    [string.Join(',', ExpressionNames.Take(classes)), .. expression.Select(l => l.ToString(CultureInfo.InvariantCulture))], variant);
            }
            if (has.HasFlag(AbawTasks.ValenceArousal))
            {
                int n = random.Next(10, 30);
                valence = new float[n];
                arousal = new float[n];
                var lines = new List<string> { "valence,arousal" };
                for (int i = 0; i < n; i++)
                {
                    var (line, v, a) = RandomVaLine(random);
                    lines.Add(line);
                    valence[i] = v;
                    arousal[i] = a;
                }
                Write(Path.Combine(Dir(AbawTasks.ValenceArousal), stem + ".txt"), lines, variant);
            }
            if (has.HasFlag(AbawTasks.ActionUnits))
            {
                actionUnits = Enumerable.Range(0, random.Next(10, 30)).Select(_ => RandomAuRow(random, aus.Length)).ToArray();
                Write(Path.Combine(Dir(AbawTasks.ActionUnits), stem + ".txt"),
                    [string.Join(',', aus), .. actionUnits.Select(r => string.Join(',', r))], variant);
            }
            var track = new TaskFixtureTrack(split, stem, expression, valence, arousal, actionUnits, new HashSet<int>());
            WriteImages(root, track, random);
            tracks.Add(track);
        }
        return tracks;
    }

    /// <summary>Writes the multi-task files (<paramref name="trainName"/> and the matching validation file)
    /// into <paramref name="folder"/>, rows in shuffled order with some frames left out, and images in
    /// <paramref name="imageRoot"/>.</summary>
    public static List<TaskFixtureTrack> CreateMultiTask(string folder, string imageRoot, int seed = 1, TextVariant variant = TextVariant.Plain,
        string trainName = "training_set_annotations.txt", string validationName = "validation_set_annotations.txt")
    {
        var random = new Random(seed);
        var tracks = new List<TaskFixtureTrack>();
        foreach (var (split, file, stems) in new[]
                 {
                     (Splits.Train, trainName, new[] { "1-30-1280x720", "video10_1", "122-60-1920x1080-3_left" }),
                     (Splits.Validation, validationName, new[] { "118-30-640x480", "video2_right" }),
                 })
        {
            var rows = new List<string>();
            foreach (var stem in stems)
            {
                int n = random.Next(8, 25);
                var expression = Enumerable.Repeat(-1, n).ToArray();
                var valence = Enumerable.Repeat(float.NaN, n).ToArray();
                var arousal = Enumerable.Repeat(float.NaN, n).ToArray();
                var aus = Enumerable.Range(0, n).Select(_ => Enumerable.Repeat((sbyte)-1, 12).ToArray()).ToArray();
                for (int f = 1; f <= n; f++)
                {
                    if (f != n && random.NextDouble() < 0.2)
                        continue; // frames the file does not list (the last one is always listed)
                    int e = random.Next(-1, 8);
                    var (vaText, v, a) = RandomVaLine(random);
                    var au = RandomAuRow(random, 12);
                    expression[f - 1] = e;
                    valence[f - 1] = v;
                    arousal[f - 1] = a;
                    aus[f - 1] = au;
                    rows.Add($"{stem}/{f:D5}.jpg,{vaText},{e},{string.Join(',', au)}");
                }
                var track = new TaskFixtureTrack(split, stem, expression, valence, arousal, aus, new HashSet<int>());
                WriteImages(Path.GetDirectoryName(imageRoot)!, track, random, Path.GetFileName(imageRoot));
                tracks.Add(track);
            }
            var shuffled = rows.OrderBy(_ => random.Next()).ToList();
            Write(Path.Combine(folder, file), ["image,valence,arousal,expression," + string.Join(',', Aus2021), .. shuffled], variant);
        }
        return tracks;
    }

    static readonly string[] ExpressionNames = ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];

    /// <summary>A VA line and what it means: -5 in either or both values is an unannotated frame.</summary>
    static (string Line, float Valence, float Arousal) RandomVaLine(Random random)
    {
        switch (random.Next(8))
        {
            case 0: return ("-5,-5", float.NaN, float.NaN);
            case 1: return (string.Create(CultureInfo.InvariantCulture, $"-5,{Value(random):R}"), float.NaN, float.NaN);
            case 2: return ("-1,1", -1f, 1f);
            default:
                float v = Value(random), a = Value(random);
                return (string.Create(CultureInfo.InvariantCulture, $"{v:R},{a:R}"), v, a);
        }
    }

    static float Value(Random random) => (float)Math.Round(random.NextDouble() * 2 - 1, random.Next(1, 7));

    static sbyte[] RandomAuRow(Random random, int count) =>
        random.Next(6) == 0 ? Enumerable.Repeat((sbyte)-1, count).ToArray()
        : Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(2)).ToArray();

    static void WriteImages(string root, TaskFixtureTrack track, Random random, string folder = "cropped_aligned")
    {
        var images = (HashSet<int>)track.Images;
        for (int f = 1; f <= track.FrameCount + 2; f++)
            if (random.NextDouble() > 0.15)
            {
                var image = Path.Combine(root, folder, track.Stem, CroppedAlignedImages.FileName(f));
                Directory.CreateDirectory(Path.GetDirectoryName(image)!);
                File.WriteAllBytes(image, []);
                if (f <= track.FrameCount) images.Add(f);
            }
    }

    public static void Write(string path, IEnumerable<string> lines, TextVariant variant = TextVariant.Plain)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TextVariants.Render(lines, variant));
    }

    /// <summary>Checks a loaded track against what the fixture wrote for it.</summary>
    public static void AssertMatches(TaskFixtureTrack expected, VideoTrack actual, string imageRoot, string[] aus)
    {
        Assert.Equal(expected.Stem, actual.Stem);
        Assert.Equal(expected.Split, actual.Split);
        int n = expected.FrameCount;
        Assert.Equal(n, actual.FrameCount);
        var expression = Enumerable.Range(0, n).Select(i => expected.Expression != null && i < expected.Expression.Length ? expected.Expression[i] : -1);
        Assert.Equal(expression, actual.Labels);
        if (expected.Valence == null)
            Assert.Null(actual.ValenceArousal);
        else
        {
            Assert.NotNull(actual.ValenceArousal);
            Assert.Equal(n, actual.ValenceArousal!.FrameCount);
            for (int f = 1; f <= n; f++)
            {
                float v = f <= expected.Valence.Length ? expected.Valence[f - 1] : float.NaN;
                float a = f <= expected.Arousal!.Length ? expected.Arousal[f - 1] : float.NaN;
                Assert.True(v.Equals(actual.ValenceArousal.Valence(f)), $"{expected.Stem} frame {f}: valence {actual.ValenceArousal.Valence(f)}, wrote {v}");
                Assert.True(a.Equals(actual.ValenceArousal.Arousal(f)), $"{expected.Stem} frame {f}: arousal {actual.ValenceArousal.Arousal(f)}, wrote {a}");
                Assert.Equal(!float.IsNaN(v), actual.ValenceArousal.IsAnnotated(f));
            }
        }
        if (expected.ActionUnits == null)
            Assert.Null(actual.ActionUnits);
        else
        {
            Assert.NotNull(actual.ActionUnits);
            Assert.Equal(aus, actual.ActionUnits!.Names);
            Assert.Equal(n, actual.ActionUnits.FrameCount);
            for (int f = 1; f <= n; f++)
                for (int j = 0; j < aus.Length; j++)
                    Assert.Equal(f <= expected.ActionUnits.Length ? expected.ActionUnits[f - 1][j] : -1, actual.ActionUnits.Value(f, j));
        }
        for (int f = 1; f <= n; f++)
        {
            Assert.Equal(expected.Images.Contains(f), actual.HasImage(f));
            Assert.Equal(expected.Images.Contains(f) ? Path.Combine(imageRoot, expected.Stem, CroppedAlignedImages.FileName(f)) : null, actual.ImagePath(f));
        }
    }

    /// <summary>The fixture's text of a file, for tests that then break one line of it.</summary>
    public static string[] ReadLines(string path) => File.ReadAllText(path, Encoding.UTF8).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
