using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

/// <summary>The valence-arousal, action unit and multi-task annotation parsers: values as written,
/// sentinels, and one exact message (file and line) for each kind of bad input.</summary>
public class AbawTaskFileTests
{
    static string WriteFile(TempDir tmp, string text, TextVariant variant = TextVariant.Plain)
    {
        var path = tmp.Combine("f.txt");
        File.WriteAllBytes(path, TextVariants.Render(text.Split('\n'), variant));
        return path;
    }

    static ValenceArousalLabels ReadVa(string path, ReadOptions? options = null)
    {
        using var file = ValenceArousalFile.Open(path, options);
        return file.ReadAll();
    }

    static ActionUnitLabels ReadAu(string path, ReadOptions? options = null, IReadOnlyList<string>? expected = null)
    {
        using var file = ActionUnitFile.Open(path, options, expected, "the 2021 AU list");
        return file.ReadAll();
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Va_values_and_the_minus_five_mark_read_as_written(TextVariant variant)
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, "valence,arousal\n0.25,-0.5\n-5,-5\n-5,0.3\n0.7,-5.0\n-1,1\n0,-0.125", variant);
        var va = ReadVa(path);
        Assert.Equal(6, va.FrameCount);
        Assert.Equal([0.25f, float.NaN, float.NaN, float.NaN, -1f, 0f], Enumerable.Range(1, 6).Select(va.Valence));
        Assert.Equal([-0.5f, float.NaN, float.NaN, float.NaN, 1f, -0.125f], Enumerable.Range(1, 6).Select(va.Arousal));
        Assert.Equal([true, false, false, false, true, true], Enumerable.Range(1, 6).Select(va.IsAnnotated));
    }

    [Fact]
    public void Va_header_spacing_and_case_are_forgiven_and_an_empty_file_is_an_error()
    {
        using var tmp = new TempDir();
        Assert.Equal(0.5f, ReadVa(WriteFile(tmp, " Valence , AROUSAL\n0.5,0.5")).Valence(1));
        var empty = tmp.Combine("empty.txt");
        File.WriteAllBytes(empty, []);
        var e = Assert.Throws<VideoFerException>(() => ReadVa(empty));
        Assert.Equal($"{empty}:1: expected the header 'valence,arousal', got an empty file", e.Message);
    }

    [Theory]
    [InlineData("arousal,valence\n0.1,0.2", 1, "expected the header 'valence,arousal', got 'arousal,valence'")]
    [InlineData("valence,arousal\n0.1,0.2\n1.5,0", 3, "valence 1.5 is outside [-1, 1] and is not the unannotated mark -5")]
    [InlineData("valence,arousal\n0.1,-4", 2, "arousal -4 is outside [-1, 1] and is not the unannotated mark -5")]
    [InlineData("valence,arousal\n0.5", 2, "expected 'valence,arousal' (two numbers), got '0.5'")]
    [InlineData("valence,arousal\n0.5,0.1,0.2", 2, "expected 'valence,arousal' (two numbers), got '0.5,0.1,0.2'")]
    [InlineData("valence,arousal\n0.1,abc", 2, "arousal must be a number, got 'abc'")]
    [InlineData("valence,arousal\nNaN,0", 2, "valence must be a number, got 'NaN'")]
    [InlineData("valence,arousal\n0.1,0.2\n\n0.3,0.4", 3, "expected 'valence,arousal' (two numbers), got an empty line")]
    public void A_malformed_va_line_names_file_line_and_problem(string content, int line, string problem)
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, content);
        var e = Assert.Throws<VideoFerException>(() => ReadVa(path));
        Assert.Equal($"{path}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void Lenient_va_reading_skips_the_bad_frame_and_keeps_the_numbering()
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, "valence,arousal\n0.1,0.2\n2,0\n0.3,0.4");
        var warnings = new List<string>();
        var va = ReadVa(path, new ReadOptions { Lenient = true, Warning = warnings.Add });
        Assert.Equal([0.1f, float.NaN, 0.3f], Enumerable.Range(1, 3).Select(va.Valence));
        Assert.Equal([$"{path}:3: valence 2 is outside [-1, 1] and is not the unannotated mark -5; frame skipped"], warnings);
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Au_values_read_as_written(TextVariant variant)
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, "AU1,AU2,AU4\n1,0,1\n-1,-1,-1\n0,0,0", variant);
        var aus = ReadAu(path);
        Assert.Equal(["AU1", "AU2", "AU4"], aus.Names);
        Assert.Equal(3, aus.FrameCount);
        Assert.Equal([1, 0, 1, -1, -1, -1, 0, 0, 0], Enumerable.Range(1, 3).SelectMany(f => Enumerable.Range(0, 3).Select(j => aus.Value(f, j))));
        Assert.Equal([true, false, true], Enumerable.Range(1, 3).Select(aus.IsAnnotated));
    }

    [Theory]
    [InlineData("AU1,Smile\n1,0", 1, "expected AU names like AU1,AU2,... (AU followed by a number), got 'Smile' in the header 'AU1,Smile'")]
    [InlineData("AU1,,AU2\n1,0,0", 1, "expected AU names like AU1,AU2,... (AU followed by a number), got '' in the header 'AU1,,AU2'")]
    [InlineData("AU1,AU01\n1,0", 1, "the header names AU1 twice: 'AU1,AU01'")]
    [InlineData("valence,arousal\n1,0", 1, "expected AU names like AU1,AU2,... (AU followed by a number), got 'valence' in the header 'valence,arousal'")]
    [InlineData("AU1,AU2,AU4\n1,0", 2, "expected 3 comma-separated values 0, 1 or -1 (one per AU), got 2 in '1,0'")]
    [InlineData("AU1,AU2\n1,0\n1,2", 3, "expected 2 comma-separated values 0, 1 or -1 (one per AU), got '2' in '1,2'")]
    [InlineData("AU1,AU2\n1,0.5", 2, "expected 2 comma-separated values 0, 1 or -1 (one per AU), got '0.5' in '1,0.5'")]
    [InlineData("AU1,AU2\n1,0\n\n0,0", 3, "expected 2 comma-separated values 0, 1 or -1 (one per AU), got an empty line")]
    public void A_malformed_au_line_names_file_line_and_problem(string content, int line, string problem)
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, content);
        var e = Assert.Throws<VideoFerException>(() => ReadAu(path));
        Assert.Equal($"{path}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void An_au_header_is_checked_against_a_known_editions_list()
    {
        using var tmp = new TempDir();
        var list = AbawTaskFixture.Aus2021;
        Assert.Equal(list, ReadAu(WriteFile(tmp, string.Join(',', list) + "\n" + string.Join(',', list.Select(_ => "0"))), expected: list).Names);

        var swapped = (string[])list.Clone();
        (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
        var path = WriteFile(tmp, string.Join(',', swapped));
        var e = Assert.Throws<VideoFerException>(() => ReadAu(path, expected: list));
        Assert.Equal($"{path}:1: the header's AUs are not the 2021 AU list '{string.Join(',', list)}': the same AUs in another order", e.Message);

        path = WriteFile(tmp, string.Join(',', AbawTaskFixture.Aus2020));
        e = Assert.Throws<VideoFerException>(() => ReadAu(path, expected: list));
        Assert.EndsWith("': missing AU7, AU10, AU23, AU24, AU26; not in that list: AU20", e.Message);
    }

    [Fact]
    public void Lenient_au_reading_skips_the_bad_frame()
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, "AU1,AU2\n1,1\nx,0\n0,1");
        var warnings = new List<string>();
        var aus = ReadAu(path, new ReadOptions { Lenient = true, Warning = warnings.Add });
        Assert.Equal([1, 1, -1, -1, 0, 1], Enumerable.Range(1, 3).SelectMany(f => new[] { aus.Value(f, 0), aus.Value(f, 1) }));
        Assert.Single(warnings);
        Assert.StartsWith($"{path}:3: ", warnings[0]);
    }

    const string MtlHeader = "image,valence,arousal,expression,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";

    [Fact]
    public void Multi_task_rows_become_per_stem_frames_by_image_name()
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, MtlHeader + "\n" +
            "b/00003.jpg,0.5,-0.5,2,1,0,0,0,0,0,0,0,0,0,0,1\n" +
            "a/00002.jpg,-5,-5,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n" +
            "b/00001.jpg,-5,0.2,7,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "a/00001.jpg,1,1,0,0,1,0,1,0,1,0,1,0,1,0,1");
        var stems = MultiTaskAnnotationFile.Read(path, expectedActionUnits: AbawTaskFixture.Aus2021);
        Assert.Equal(["a", "b"], stems.Select(s => s.Stem));
        var a = stems[0];
        Assert.Equal(2, a.FrameCount);
        Assert.Equal([0, -1], a.Expressions);
        Assert.Equal([1f, float.NaN], new[] { a.ValenceArousal.Valence(1), a.ValenceArousal.Valence(2) });
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], Enumerable.Range(0, 12).Select(j => a.ActionUnits.Value(1, j)));
        Assert.False(a.ActionUnits.IsAnnotated(2));
        var b = stems[1];
        Assert.Equal(3, b.FrameCount);
        Assert.Equal([7, -1, 2], b.Expressions); // frame 2 is not listed
        Assert.Equal([false, false, true], Enumerable.Range(1, 3).Select(b.ValenceArousal.IsAnnotated)); // -5 in one value: unannotated
        Assert.Equal(-0.5f, b.ValenceArousal.Arousal(3));
        Assert.Equal(AbawTaskFixture.Aus2021, a.ActionUnits.Names);
    }

    [Theory]
    [InlineData("image,valence,arousal,AU1\nx/00001.jpg,0,0,0", 1, "expected the header '" + MtlHeader + "', got 'image,valence,arousal,AU1'")]
    [InlineData("x/00001.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", 1, "expected the header '" + MtlHeader + "', got 'x/00001.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0'")]
    [InlineData(MtlHeader + "\nx.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", 2, "expected an image name '<video>/NNNNN.jpg' (frame number from 00001), got 'x.jpg'")]
    [InlineData(MtlHeader + "\nx/00000.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", 2, "expected an image name '<video>/NNNNN.jpg' (frame number from 00001), got 'x/00000.jpg'")]
    [InlineData(MtlHeader + "\na/b/00001.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", 2, "expected an image name '<video>/NNNNN.jpg' (frame number from 00001), got 'a/b/00001.jpg'")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,0,8,0,0,0,0,0,0,0,0,0,0,0,0", 2, "expected an expression label from -1 to 7, got '8'")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,-3,1,0,0,0,0,0,0,0,0,0,0,0,0", 2, "arousal -3 is outside [-1, 1] and is not the unannotated mark -5")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,2", 2, "expected 12 comma-separated values 0, 1 or -1 (one per AU), got '2' in 'x/00001.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,2'")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,0,1", 2, "expected 16 comma-separated fields (image,valence,arousal,expression and 12 AUs), got 4 in 'x/00001.jpg,0,0,1'")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\n\nx/00002.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0", 3, "expected 16 comma-separated fields (image,valence,arousal,expression and 12 AUs), got an empty line")]
    [InlineData(MtlHeader + "\nx/00001.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\nx/00001.jpg,0,0,2,0,0,0,0,0,0,0,0,0,0,0,0", 3, "frame 1 of x is already labelled at line 2")]
    public void A_malformed_multi_task_row_names_file_line_and_problem(string content, int line, string problem)
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, content);
        var e = Assert.Throws<VideoFerException>(() => MultiTaskAnnotationFile.Read(path, expectedActionUnits: AbawTaskFixture.Aus2021));
        Assert.Equal($"{path}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void A_multi_task_header_with_other_aus_says_which()
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, "image,valence,arousal,expression,AU1,AU2\nx/00001.jpg,0,0,0,0,0");
        var e = Assert.Throws<VideoFerException>(() => MultiTaskAnnotationFile.Read(path, expectedActionUnits: AbawTaskFixture.Aus2021));
        Assert.Equal($"{path}:1: the header's AUs are not the multi-task list '{string.Join(',', AbawTaskFixture.Aus2021)}': missing AU4, AU6, AU7, AU10, AU12, AU15, AU23, AU24, AU25, AU26", e.Message);
        Assert.Equal(["AU1", "AU2"], MultiTaskAnnotationFile.Read(path).Single().ActionUnits.Names); // no list given: the header's own
    }

    [Fact]
    public void Lenient_multi_task_reading_skips_bad_rows()
    {
        using var tmp = new TempDir();
        var path = WriteFile(tmp, MtlHeader + "\nx/00001.jpg,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\nx/00002.jpg,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0\nx/00003.jpg,0,0,3,0,0,0,0,0,0,0,0,0,0,0,0");
        var warnings = new List<string>();
        var x = MultiTaskAnnotationFile.Read(path, new ReadOptions { Lenient = true, Warning = warnings.Add }).Single();
        Assert.Equal([1, -1, 3], x.Expressions);
        Assert.Equal([$"{path}:3: expected an expression label from -1 to 7, got '9'; row skipped"], warnings);
    }
}
