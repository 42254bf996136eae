using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

public class AffWild2ReaderTests
{
    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Reads_every_frame_label_and_image_as_written(TextVariant variant)
    {
        // Six variants over four editions: every edition is read at least once, with a different mangling.
        var edition = (AffWild2Edition)((int)variant % 4);
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, edition, seed: 10 + (int)variant, variant: variant);
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(edition, reader.Layout.Edition);
        foreach (var split in new[] { Splits.Train, Splits.Validation })
        {
            var expectedTracks = fixture.Tracks.Where(t => t.Split == split).OrderBy(t => t.Stem, StringComparer.Ordinal).ToList();
            Assert.Equal(expectedTracks.Select(t => t.Stem), reader.Tracks(split).Select(t => t.Stem));
            var items = reader.Frames(split).ToList();
            var expected = expectedTracks.SelectMany(t => t.Labels.Select((label, i) =>
                new FrameItem("affwild2", split, t.Stem, i + 1, fixture.ExpectedImage(t, i + 1), label))).ToList();
            Assert.Equal(expected, items);
        }
    }

    [Fact]
    public void Left_and_right_tracks_are_separate_stems_of_one_video()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2020);
        var tracks = AffWild2Reader.Open(tmp.Path).Tracks(Splits.Validation).ToList();
        var pair = tracks.Where(t => t.VideoName == "video2").Select(t => t.Stem).ToList();
        Assert.Equal(["video2_left", "video2_right"], pair);
        Assert.Equal("right", AffWild2Stems.SideOf("video2_right"));
        Assert.Null(AffWild2Stems.SideOf("video10_1"));
        Assert.Equal("video10_1", AffWild2Stems.VideoOf("video10_1"));
    }

    [Fact]
    public void Explicit_image_roots_replace_the_detected_ones()
    {
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2024);
        var onlyFirst = AffWild2Reader.Open(tmp.Path, imageRoots: [fixture.ImageRoots[0]]);
        var none = AffWild2Reader.Open(tmp.Path, imageRoots: []);
        foreach (var t in fixture.Tracks.Where(t => t.Split == Splits.Train))
        {
            var track = new AffWild2Track(t.Split, t.Stem, Path.Combine(fixture.AnnotationDir, "Train_Set", t.Stem + ".txt"));
            var withFirst = onlyFirst.Frames(track).ToList();
            for (int f = 1; f <= t.Labels.Length; f++)
            {
                var expected = t.ImageRootOfFrame.TryGetValue(f, out int root) && root == 0 ? fixture.ExpectedImage(t, f) : null;
                Assert.Equal(expected, withFirst[f - 1].ImagePath);
            }
            Assert.All(none.Frames(track), i => Assert.Null(i.ImagePath));
        }
        Assert.False(none.HasImageRoots);
    }

    [Fact]
    public void LoadTrack_matches_the_lazy_frames()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2021, seed: 5);
        var reader = AffWild2Reader.Open(tmp.Path);
        foreach (var track in reader.Tracks(Splits.Train))
            Assert.Equal(reader.Frames(track), reader.LoadTrack(track).Items());
    }

    [Fact]
    public void Test_set_stems_come_from_the_list_file()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2022, variant: TextVariant.CrlfBomTrailing);
        Assert.Equal(["2-30-640x360", "video99_left", "video99_right"], AffWild2Reader.Open(tmp.Path).TestStems());
    }

    static string WriteTrack(TempDir tmp, string content)
    {
        var dir = tmp.Combine("EXPR_Set", "Train_Set");
        Directory.CreateDirectory(tmp.Combine("EXPR_Set", "Validation_Set"));
        return tmp.Write(Path.Combine("EXPR_Set", "Train_Set", "v.txt"), content);
    }

    [Theory]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n7\n1\n", 3, "from -1 to 6, got '7'")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\nx\n1\n", 3, "got 'x'")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n\n1\n", 3, "got an empty line")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n1 2\n1\n", 3, "got '1 2'")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n0\n-2\n1\n", 3, "from -1 to 7, got '-2'")]
    public void A_malformed_line_names_file_line_and_expectation(string content, int line, string detail)
    {
        using var tmp = new TempDir();
        var file = WriteTrack(tmp, content);
        var reader = AffWild2Reader.Open(tmp.Path);
        var e = Assert.Throws<VideoFerException>(() => reader.Frames(Splits.Train).ToList());
        Assert.StartsWith($"{file}:{line}: expected one integer label", e.Message);
        Assert.Contains(detail, e.Message);

        // Lenient: the same message as a warning, the frame skipped, later frames keep their numbers.
        var warnings = new List<string>();
        var lenient = AffWild2Reader.Open(tmp.Path, options: new ReadOptions { Lenient = true, Warning = warnings.Add });
        var frames = lenient.Frames(Splits.Train).ToList();
        Assert.Equal([1, 3], frames.Select(f => f.Frame));
        Assert.Equal([0, 1], frames.Select(f => f.Label));
        Assert.Equal(e.Message + "; frame skipped", Assert.Single(warnings));
        Assert.Equal([0, -1, 1], lenient.LoadTrack(lenient.Tracks(Splits.Train).Single()).Labels);
    }

    [Theory]
    [InlineData("0\n1\n")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness\n0\n")]
    [InlineData("Anger,Neutral,Disgust,Fear,Happiness,Sadness,Surprise\n0\n")]
    [InlineData("")]
    public void A_bad_header_is_an_error_or_a_skipped_file(string content)
    {
        using var tmp = new TempDir();
        var file = WriteTrack(tmp, content);
        var e = Assert.Throws<VideoFerException>(() => AffWild2Reader.Open(tmp.Path).Frames(Splits.Train).ToList());
        Assert.StartsWith($"{file}:1: expected the header 'Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise'", e.Message);
        var warnings = new List<string>();
        var lenient = AffWild2Reader.Open(tmp.Path, options: new ReadOptions { Lenient = true, Warning = warnings.Add });
        Assert.Empty(lenient.Frames(Splits.Train));
        Assert.EndsWith("file skipped", Assert.Single(warnings));
    }

    [Fact]
    public void Header_spacing_and_case_are_forgiven()
    {
        using var tmp = new TempDir();
        WriteTrack(tmp, "neutral, Anger ,DISGUST,Fear,Happiness,Sadness,Surprise\r\n3\r\n-1");
        var frames = AffWild2Reader.Open(tmp.Path).Frames(Splits.Train).ToList();
        Assert.Equal([3, -1], frames.Select(f => f.Label));
    }

    [Fact]
    public void Frames_are_read_lazily()
    {
        using var tmp = new TempDir();
        // A broken line far down the file is not reached when only the first frames are taken.
        WriteTrack(tmp, ExpressionHeader.For(7) + "\n" + string.Concat(Enumerable.Repeat("1\n", 50)) + "garbage\n");
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(10, reader.Frames(Splits.Train).Take(10).Count());
        Assert.Throws<VideoFerException>(() => reader.Frames(Splits.Train).Count());
    }
}
