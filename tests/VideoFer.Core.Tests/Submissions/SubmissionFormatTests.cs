using VideoFer.Datasets.AffWild2;
using VideoFer.Submissions;
using VideoFer.Tests.Support;
using VideoFer.IO;

namespace VideoFer.Tests.Submissions;

public class SubmissionFormatTests
{
    static int[] RandomLabels(Random r, int classes, int n) => Enumerable.Range(0, n).Select(_ => r.Next(classes)).ToArray();

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Per_video_files_round_trip(int classes)
    {
        using var tmp = new TempDir();
        var r = new Random(classes);
        var tracks = Enumerable.Range(0, 4).Select(i => ($"v{i}_left", (IReadOnlyList<int>)RandomLabels(r, classes, r.Next(1, 200)))).ToList();
        PerVideoSubmission.WriteAll(tmp.Path, tracks, classes);
        foreach (var (stem, labels) in tracks)
        {
            var file = tmp.Combine(stem + ".txt");
            var lines = File.ReadAllLines(file);
            Assert.Equal(ExpressionHeader.For(classes), lines[0]);
            var read = PerVideoSubmission.Read(file, classes);
            Assert.Equal(labels, read.Labels);
            Assert.Equal(classes, read.ClassCount);
            Assert.Equal(stem, read.Stem);
        }
        Assert.Equal(tracks.Count, Directory.GetFiles(tmp.Path).Length); // no temporary files left behind
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Per_video_files_from_other_tools_are_read(TextVariant variant)
    {
        using var tmp = new TempDir();
        var file = tmp.Write("a.txt", TextVariants.Render([ExpressionHeader.For(8), "7", "0", "3"], variant));
        Assert.Equal([7, 0, 3], PerVideoSubmission.Read(file).Labels);
    }

    [Theory]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n-1\n", 3, "expected one integer label from 0 to 6, got '-1'")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n2.0\n", 3, "got '2.0'")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n0\n", 1, "expected the header 'Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise' (7 classes)")]
    public void Bad_per_video_predictions_name_file_and_line(string content, int line, string message)
    {
        using var tmp = new TempDir();
        var file = tmp.Write("p.txt", content);
        var e = Assert.Throws<VideoFerException>(() => PerVideoSubmission.Read(file, 7));
        Assert.StartsWith($"{file}:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Writers_refuse_labels_outside_the_class_set()
    {
        using var tmp = new TempDir();
        Assert.Throws<ArgumentOutOfRangeException>(() => PerVideoSubmission.Write(tmp.Combine("x.txt"), [0, 7], 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Abaw2024Submission.Write(tmp.Combine("x.csv"), [("a", [-1])]));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void The_2024_csv_round_trips_and_accepts_rows_in_any_order(int classes)
    {
        using var tmp = new TempDir();
        var r = new Random(10 + classes);
        var tracks = new[] { "10-60-1280x720", "video5_right", "video5_left" }
            .Select(s => (s, (IReadOnlyList<int>)RandomLabels(r, classes, r.Next(1, 150)))).ToList();
        var file = tmp.Combine("predictions.csv");
        Abaw2024Submission.Write(file, tracks, classes);
        var lines = File.ReadAllLines(file);
        Assert.Equal("image_location," + ExpressionHeader.For(classes), lines[0]);
        Assert.Equal($"10-60-1280x720/00001.jpg,{tracks[0].Item2[0]}", lines[1]);
        Assert.Equal(tracks.Sum(t => t.Item2.Count) + 1, lines.Length);
        Assert.Equal(tracks.Select(t => (t.Item1, t.Item2.ToArray())), Abaw2024Submission.Read(file).Select(p => (p.Stem, p.Labels)));

        var shuffled = lines.Skip(1).OrderBy(_ => r.Next()).Prepend(lines[0]);
        var reread = Abaw2024Submission.Parse(new StringReader(string.Join("\r\n", shuffled)), "s.csv").ToDictionary(p => p.Stem, p => p.Labels);
        foreach (var (stem, labels) in tracks)
            Assert.Equal(labels, reread[stem]);
    }

    [Theory]
    [InlineData("a/00001.jpg,0\na/00001.jpg,1\n", "s.csv:3: a second row for a/00001.jpg")]
    [InlineData("a/00001.jpg,0\na/00003.jpg,1\n", "s.csv: no row for a/00002.jpg")]
    [InlineData("a/00002.jpg,0\n", "s.csv: no row for a/00001.jpg")]
    [InlineData("a/1.jpg,0\n", "s.csv:2: expected an image location '<stem>/<NNNNN>.jpg', got 'a/1.jpg'")]
    [InlineData("00001.jpg,0\n", "s.csv:2: expected an image location")]
    [InlineData("a/00001.jpg,8\n", "s.csv:2: expected one integer label from 0 to 7, got '8'")]
    [InlineData("a/00001.jpg\n", "s.csv:2: expected '<stem>/<NNNNN>.jpg,<label>'")]
    [InlineData("a/00001.jpg,1\n\na/00002.jpg,1\n", "s.csv:3: expected '<stem>/<NNNNN>.jpg,<label>', got an empty line")]
    public void Bad_2024_csv_rows_name_file_and_line(string rows, string message)
    {
        var e = Assert.Throws<VideoFerException>(() =>
            Abaw2024Submission.Parse(new StringReader(Abaw2024Submission.Header(8) + "\n" + rows), "s.csv"));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("image,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other")]
    [InlineData("")]
    public void A_bad_2024_header_is_an_error(string header)
    {
        var e = Assert.Throws<VideoFerException>(() => Abaw2024Submission.Parse(new StringReader(header), "s.csv"));
        Assert.StartsWith("s.csv:1: expected the header 'image_location,Neutral", e.Message);
    }

    [Fact]
    public void Atomic_writes_replace_whole_files_and_clean_up_after_failures()
    {
        using var tmp = new TempDir();
        var file = tmp.Combine("out", "a.txt");
        AtomicFile.WriteText(file, w => w.Write("first"));
        AtomicFile.WriteText(file, w => w.Write("second"));
        Assert.Equal("second", File.ReadAllText(file));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(file, w =>
        {
            w.Write("partial");
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("second", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(tmp.Combine("out")));
    }
}
