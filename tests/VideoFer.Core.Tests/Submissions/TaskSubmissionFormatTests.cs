using System.Globalization;
using VideoFer.Datasets.AffWild2;
using VideoFer.Submissions;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Submissions;

/// <summary>VA and AU submission files, per-video and 2024 CSV: written, read back, read from mangled
/// copies, and bad files rejected with file and line.</summary>
public class TaskSubmissionFormatTests
{
    static float[] RandomValues(Random r, int n) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    static sbyte[] RandomDecisions(Random r, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)r.Next(2)).ToArray();

    [Fact]
    public void Per_video_VA_files_round_trip_exactly_in_any_culture()
    {
        using var tmp = new TempDir();
        var r = new Random(5);
        var tracks = Enumerable.Range(0, 3).Select(i => ($"video{i}_left", (IReadOnlyList<float>)RandomValues(r, r.Next(1, 300)), (IReadOnlyList<float>)RandomValues(r, 0))).ToList();
        tracks = tracks.Select(t => (t.Item1, t.Item2, (IReadOnlyList<float>)RandomValues(r, t.Item2.Count))).ToList();
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // a decimal comma must not leak into the file
            ValenceArousalSubmission.WriteAll(tmp.Path, tracks);
        }
        finally { CultureInfo.CurrentCulture = before; }
        foreach (var (stem, v, a) in tracks)
        {
            var file = tmp.Combine(stem + ".txt");
            var lines = File.ReadAllLines(file);
            Assert.Equal("valence,arousal", lines[0]);
            Assert.Equal(v.Count + 1, lines.Length);
            Assert.All(lines.Skip(1), l => Assert.Single(l, ','));
            var read = ValenceArousalSubmission.Read(file);
            Assert.Equal(stem, read.Stem);
            Assert.Equal(v, read.Valence);
            Assert.Equal(a, read.Arousal);
        }
        Assert.Equal(tracks.Count, Directory.GetFiles(tmp.Path).Length);
    }

    [Fact]
    public void VA_writer_clamps_to_the_range_and_refuses_NaN_naming_the_frame()
    {
        using var tmp = new TempDir();
        var file = tmp.Combine("v.txt");
        ValenceArousalSubmission.Write(file, [1.7f, -3f, float.PositiveInfinity, 0.5f], [-1.2f, 0.25f, float.NegativeInfinity, 1f]);
        Assert.Equal(["valence,arousal", "1,-1", "-1,0.25", "1,-1", "0.5,1"], File.ReadAllLines(file));
        var e = Assert.Throws<ArgumentException>(() => ValenceArousalSubmission.Write(tmp.Combine("n.txt"), [0.1f, 0.2f, 0.3f], [0.1f, float.NaN, 0.3f]));
        Assert.Contains("frame 2: arousal is NaN", e.Message);
        Assert.False(File.Exists(tmp.Combine("n.txt")));
        Assert.Throws<ArgumentException>(() => Abaw2024ValenceArousalSubmission.Write(tmp.Combine("n.csv"), [("a", [float.NaN], [0f])]));
        Assert.Throws<ArgumentException>(() => ValenceArousalSubmission.Write(tmp.Combine("m.txt"), [0.1f], [0.1f, 0.2f]));
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Files_from_other_tools_are_read(TextVariant variant)
    {
        using var tmp = new TempDir();
        var va = tmp.Write("va.txt", TextVariants.Render(["valence,arousal", "0.5,-0.25", "-1,1", " 0.125 , 0 "], variant));
        var read = ValenceArousalSubmission.Read(va);
        Assert.Equal([0.5f, -1f, 0.125f], read.Valence);
        Assert.Equal([-0.25f, 1f, 0f], read.Arousal);
        var au = tmp.Write("au.txt", TextVariants.Render(["AU1,AU2,AU4", "0,1,0", "1,1,1"], variant));
        Assert.Equal(new sbyte[] { 0, 1, 0, 1, 1, 1 }, ActionUnitSubmission.Read(au).Values);
        var csv = tmp.Write("va.csv", TextVariants.Render(["image_location,valence,arousal", "s/00002.jpg,0.5,0.5", "s/00001.jpg,-0.5,0"], variant));
        Assert.Equal([-0.5f, 0.5f], Assert.Single(Abaw2024ValenceArousalSubmission.Read(csv)).Valence);
        var aucsv = tmp.Write("au.csv", TextVariants.Render(["image_location,AU1,AU2", "s/00001.jpg,1,0"], variant));
        Assert.Equal(new sbyte[] { 1, 0 }, Assert.Single(Abaw2024ActionUnitSubmission.Read(aucsv)).Values);
    }

    [Theory]
    [InlineData(2020)]
    [InlineData(2021)]
    [InlineData(2024)]
    public void Per_video_AU_files_round_trip_with_the_editions_header(int year)
    {
        using var tmp = new TempDir();
        var names = AbawActionUnits.ActionUnits(AffWild2Editions.Parse(year.ToString()));
        Assert.Equal(year == 2020 ? 8 : 12, names.Count);
        var r = new Random(year);
        var tracks = Enumerable.Range(0, 3).Select(i => ($"{i}-30-640x360", (IReadOnlyList<sbyte>)RandomDecisions(r, names.Count * r.Next(1, 200)))).ToList();
        ActionUnitSubmission.WriteAll(tmp.Path, names, tracks);
        foreach (var (stem, values) in tracks)
        {
            var file = tmp.Combine(stem + ".txt");
            Assert.Equal(string.Join(",", names), File.ReadLines(file).First());
            var read = ActionUnitSubmission.Read(file, names);
            Assert.Equal(values, read.Values);
            Assert.Equal(names, read.Names);
            Assert.Equal(values.Count / names.Count, read.FrameCount);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionUnitSubmission.Write(tmp.Combine("x.txt"), names, Enumerable.Repeat((sbyte)-1, names.Count).ToArray()));
        Assert.Throws<ArgumentException>(() => ActionUnitSubmission.Write(tmp.Combine("y.txt"), names, new sbyte[names.Count + 1]));
    }

    [Fact]
    public void The_2024_CSVs_round_trip_in_any_row_order()
    {
        using var tmp = new TempDir();
        var r = new Random(9);
        var va = Enumerable.Range(0, 3).Select(i => { int n = r.Next(1, 120); return ($"v{i}", (IReadOnlyList<float>)RandomValues(r, n), (IReadOnlyList<float>)RandomValues(r, n)); }).ToList();
        var file = tmp.Combine("va.csv");
        Abaw2024ValenceArousalSubmission.Write(file, va);
        Assert.Equal("image_location,valence,arousal", File.ReadLines(file).First());
        Assert.StartsWith("v0/00001.jpg,", File.ReadLines(file).Skip(1).First());
        // Shuffled rows read the same.
        var lines = File.ReadAllLines(file);
        File.WriteAllLines(file, lines.Take(1).Concat(lines.Skip(1).OrderBy(_ => r.Next())));
        var read = Abaw2024ValenceArousalSubmission.Read(file).ToDictionary(t => t.Stem);
        foreach (var (stem, v, a) in va)
        {
            Assert.Equal(v, read[stem].Valence);
            Assert.Equal(a, read[stem].Arousal);
        }
        var names = AbawActionUnits.Since2021;
        var au = Enumerable.Range(0, 3).Select(i => ($"v{i}_right", (IReadOnlyList<sbyte>)RandomDecisions(r, names.Count * r.Next(1, 100)))).ToList();
        var aufile = tmp.Combine("au.csv");
        Abaw2024ActionUnitSubmission.Write(aufile, names, au);
        Assert.Equal("image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26", File.ReadLines(aufile).First());
        var aread = Abaw2024ActionUnitSubmission.Read(aufile, names);
        Assert.Equal(au.Select(t => t.Item1), aread.Select(t => t.Stem));
        for (int i = 0; i < au.Count; i++)
            Assert.Equal(au[i].Item2, aread[i].Values);
    }

    [Theory]
    [InlineData("va.txt", "valence,arousal\n0.1,0.2\n0.1\n", 3, "expected 'valence,arousal' (two numbers), got '0.1'")]
    [InlineData("va.txt", "valence,arousal\n0.1,0.2\n0.1,-5\n", 3, "arousal '-5' is outside [-1, 1]")]
    [InlineData("va.txt", "valence,arousal\n0.1,0.2\n\n0.1,0.2\n", 3, "got an empty line")]
    [InlineData("va.txt", "valence,arousal\n0,1\nNaN,0\n", 3, "expected a number for valence, got 'NaN'")]
    [InlineData("va.txt", "valence,arousal\n0,1\n0,5\n", 3, "arousal '5' is outside")]
    [InlineData("va.txt", "valence;arousal\n0,1\n", 1, "expected the header 'valence,arousal'")]
    [InlineData("va.txt", "valence,arousal\n", 2, "no prediction after the header")]
    [InlineData("au.txt", "AU1,AU2\n0,1\n1,2\n", 3, "AU2: expected 0 or 1, got '2'")]
    [InlineData("au.txt", "AU1,AU2\n0,1\n1\n", 3, "expected 2 comma-separated 0/1 values (AU1,AU2), got 1")]
    [InlineData("au.txt", "AU1,AU2\n-1,-1\n", 2, "AU1: expected 0 or 1, got '-1'")]
    [InlineData("au.txt", "AU1,AU1\n0,0\n", 1, "expected the header 'AU1,AU2,...'")]
    [InlineData("va.csv", "image_location,valence,arousal\na/00001.jpg,0.1,0.2\na/1.jpg,0,0\n", 3, "expected an image location '<stem>/<NNNNN>.jpg', got 'a/1.jpg'")]
    [InlineData("va.csv", "image_location,valence,arousal\na/00001.jpg,0.1,0.2\na/00001.jpg,0,0\n", 3, "a second row for a/00001.jpg")]
    [InlineData("va.csv", "image_location,valence,arousal\na/00001.jpg,0.1\n", 2, "got 2 fields")]
    [InlineData("va.csv", "image_location,valence\n", 1, "expected the header 'image_location,valence,arousal'")]
    [InlineData("au.csv", "image_location,AU1,AU2\na/00001.jpg,1,x\n", 2, "AU2: expected 0 or 1, got 'x'")]
    [InlineData("au.csv", "image,AU1,AU2\na/00001.jpg,1,0\n", 1, "expected the header 'image_location,AU1,AU2,...'")]
    public void Bad_files_name_file_and_line(string name, string content, int line, string message)
    {
        using var tmp = new TempDir();
        var file = tmp.Write(name, content);
        Action read = name switch
        {
            "va.txt" => () => ValenceArousalSubmission.Read(file),
            "au.txt" => () => ActionUnitSubmission.Read(file),
            "va.csv" => () => Abaw2024ValenceArousalSubmission.Read(file),
            _ => () => Abaw2024ActionUnitSubmission.Read(file),
        };
        var e = Assert.Throws<VideoFerException>(read);
        Assert.StartsWith($"{file}:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Gaps_and_foreign_AU_headers_are_errors()
    {
        using var tmp = new TempDir();
        var gap = tmp.Write("gap.csv", "image_location,valence,arousal\na/00001.jpg,0,0\na/00003.jpg,0,0\n");
        var e = Assert.Throws<VideoFerException>(() => Abaw2024ValenceArousalSubmission.Read(gap));
        Assert.StartsWith($"{gap}: no row for a/00002.jpg, but rows up to frame 3", e.Message);
        var au = tmp.Write("au.txt", "AU1,AU2,AU4,AU6,AU12,AU15,AU20,AU25\n0,0,0,0,0,0,0,0\n");
        e = Assert.Throws<VideoFerException>(() => ActionUnitSubmission.Read(au, AbawActionUnits.Since2021));
        Assert.StartsWith($"{au}:1: expected the header 'AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26'", e.Message);
        var csv = tmp.Write("au.csv", "image_location,AU1,AU2\na/00001.jpg,0,0\n");
        e = Assert.Throws<VideoFerException>(() => Abaw2024ActionUnitSubmission.Read(csv, ["AU2", "AU1"]));
        Assert.StartsWith($"{csv}:1: expected the header 'image_location,AU2,AU1'", e.Message);
    }
}
