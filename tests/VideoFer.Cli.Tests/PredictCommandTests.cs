using System.Text.Json;
using OpenCvSharp;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer predict` as a user runs it, on real media.</summary>
[Collection(MegamindPrediction.Collection)]
public class PredictCommandTests(MegamindPrediction megamind) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-predict-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Out => Path.Combine(dir, "out");

    /// <summary>The demo's video end to end: every output present and consistent with the others, by person.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void MegamindGivesConsistentCsvAbawFilesAnnotatedVideoTimelinesAndPeople()
    {
        var r = megamind.Result;
        string Out = megamind.Out;
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var s = json.RootElement;
        int frames = s.GetProperty("frames").GetInt32();
        Assert.Equal(270, frames);
        int tracks = s.GetProperty("tracks").GetInt32();
        Assert.Equal(5, tracks);
        var people = s.GetProperty("people").EnumerateArray().ToList();
        Assert.Equal(3, people.Count);
        Assert.Equal(Enumerable.Range(1, tracks), people.SelectMany(p => p.GetProperty("tracks").EnumerateArray().Select(t => t.GetInt32())).Order());
        int faces = s.GetProperty("faces").GetInt32();
        Assert.Equal(faces, s.GetProperty("label_counts").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(faces, people.Sum(p => p.GetProperty("label_counts").EnumerateObject().Sum(c => c.Value.GetInt32())));
        Assert.InRange(s.GetProperty("frames_with_face").GetInt32(), frames / 2, frames);

        var csv = File.ReadAllLines(Path.Combine(Out, "predictions.csv"));
        Assert.Equal("frame,time,track,person,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label", csv[0]);
        Assert.Equal(faces, csv.Length - 1);
        var personOfTrack = people.SelectMany(p => p.GetProperty("tracks").EnumerateArray().Select(t => (Track: t.GetInt32(), Person: p.GetProperty("person").GetInt32())))
            .ToDictionary(x => x.Track, x => x.Person);
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(personOfTrack[int.Parse(f[2])], int.Parse(f[3]));
            var p = f[9..16].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(p.Sum(), 0.999, 1.001);
            Assert.Equal(new[] { "Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise" }[Array.IndexOf(p, p.Max())], f[16]);
        }

        // ABAW files per person, and per track in abaw_tracks/ (asked for with --track-files).
        Assert.Equal(["Megamind_1.txt", "Megamind_2.txt", "Megamind_3.txt"], Directory.GetFiles(Path.Combine(Out, "abaw")).Select(Path.GetFileName).Order());
        Assert.Equal(tracks, Directory.GetFiles(Path.Combine(Out, "abaw_tracks"), "*.txt").Length);
        foreach (var file in Directory.GetFiles(Path.Combine(Out, "abaw")).Concat(Directory.GetFiles(Path.Combine(Out, "abaw_tracks"))))
            Assert.Equal(frames + 1, File.ReadAllLines(file).Length); // header + every frame

        // people.csv and a thumbnail per person.
        var summary = File.ReadAllLines(Path.Combine(Out, "people.csv"));
        Assert.Equal("person,tracks,frames,seconds_on_screen,first_time,last_time,linked,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,thumbnail", summary[0]);
        Assert.Equal(4, summary.Length);
        foreach (var p in people)
        {
            int id = p.GetProperty("person").GetInt32();
            string thumb = Path.Combine(Out, $"person{id}.jpg");
            Assert.Equal(thumb, p.GetProperty("thumbnail").GetString());
            using var image = Cv2.ImRead(thumb);
            Assert.Equal(224, image.Width);
            var row = summary[id].Split(',');
            Assert.Equal(p.GetProperty("frames").GetInt32(), int.Parse(row[2]));
            Assert.InRange(row[7..14].Sum(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)), 0.999, 1.001);
        }

        using (var video = new VideoCapture(Path.Combine(Out, "annotated.mp4")))
        {
            Assert.True(video.IsOpened());
            Assert.Equal("h264", video.FourCC.ToLowerInvariant()); // through Debian's ffmpeg: browsers play it
            Assert.InRange(video.FrameCount, frames - 1, frames + 1);
            Assert.Equal(720, video.FrameWidth);
        }
        Assert.Equal(3, Directory.GetFiles(Out, "timeline_person*.png").Length);
        Assert.Equal(tracks, Directory.GetFiles(Out, "timeline_track*.png").Length);
        Assert.Empty(Directory.GetFiles(Out, "*.tmp*", SearchOption.AllDirectories));
    }

    /// <summary>--people off: tracks only, the outputs predict wrote before people existed.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void PeopleOffGivesTracksOnly()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--json", "--people", "off", "--no-video");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        int tracks = json.RootElement.GetProperty("tracks").GetInt32();
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("people").ValueKind);
        Assert.Equal("frame,time,track,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label", File.ReadLines(Path.Combine(Out, "predictions.csv")).First());
        Assert.Equal(tracks, Directory.GetFiles(Path.Combine(Out, "abaw"), "*.txt").Length);
        Assert.Equal(tracks, Directory.GetFiles(Out, "timeline_track*.png").Length);
        Assert.Empty(Directory.GetFiles(Out, "timeline_person*.png"));
        Assert.False(File.Exists(Path.Combine(Out, "people.csv")));
    }

    /// <summary>--max-people keeps the people with the most frames; --min-person-frames drops the briefly seen.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void MaxPeopleAndMinPersonFramesLeaveOutTheLeastSeen()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--json", "--no-video", "--max-people", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var people = json.RootElement.GetProperty("people").EnumerateArray().ToList();
        Assert.Equal(2, people.Count);
        Assert.Equal([1, 2], people.Select(p => p.GetProperty("person").GetInt32()));
        // The background man (97 frames) is the least seen of the three (126 and 143 frames).
        Assert.All(people, p => Assert.True(p.GetProperty("frames").GetInt32() > 100));
        Assert.Equal(people.Sum(p => p.GetProperty("frames").GetInt32()), File.ReadAllLines(Path.Combine(Out, "predictions.csv")).Length - 1);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Out, "abaw")).Length);

        var min = CliProcess.Run("predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--json", "--no-video", "--min-person-frames", "130");
        Assert.True(min.ExitCode == 0, min.ToString());
        using var json2 = JsonDocument.Parse(min.StdOut);
        Assert.Single(json2.RootElement.GetProperty("people").EnumerateArray());
    }

    [Theory]
    [InlineData("--max-people", "0", "--max-people must be at least 1, got 0")]
    [InlineData("--max-people", "-3", "--max-people must be at least 1, got -3")]
    [InlineData("--min-person-frames", "0", "--min-person-frames must be between 1 and 2147483647, got 0")]
    [InlineData("--min-person-frames", "-1", "--min-person-frames must be between 1 and 2147483647, got -1")]
    [InlineData("--people", "maybe", "maybe")]
    public void BadPeopleOptionsAreUsageErrors(string option, string value, string message)
    {
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr); // no stack trace
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void PeopleOptionsWithPeopleOffAreUsageErrors()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--people", "off", "--max-people", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--max-people applies to people; it cannot be used with --people off", r.StdErr);
    }

    [Fact]
    public void AnImageGivesAnAnnotatedPictureAndOneTrack()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal(1, json.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tracks").GetInt32());
        var person = Assert.Single(json.RootElement.GetProperty("people").EnumerateArray());
        // One picture of a small face: too few faces to compare with anyone, so a person of its own.
        Assert.False(person.GetProperty("linked").GetBoolean());
        Assert.True(File.Exists(Path.Combine(Out, "annotated.png")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Out, "abaw", "messi5.txt")).Length);
    }

    /// <summary>No face at all is not an error: outputs are complete and say there is nothing to label.</summary>
    [Fact]
    public void AVideoWithoutFacesIsNotAnError()
    {
        string video = Path.Combine(dir, "board.mp4");
        using (var board = Cv2.ImRead(TestMedia.Path("chessboard.png")))
        using (var writer = new VideoWriter(video, FourCC.MP4V, 10, board.Size()))
            for (int i = 0; i < 12; i++) writer.Write(board);
        var r = CliProcess.Run("predict", video, "--out", Out);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("no face was found in any frame: nothing to label", r.StdOut);
        Assert.Single(File.ReadAllLines(Path.Combine(Out, "predictions.csv")));
        Assert.False(Directory.Exists(Path.Combine(Out, "abaw"))); // no track, no label file (an output set holds files only)
        Assert.True(File.Exists(Path.Combine(Out, "annotated.mp4")));
    }

    [Fact]
    public void NotAVideoIsOneLineNamingTheFile()
    {
        string bad = Path.Combine(dir, "clip.mp4");
        File.WriteAllBytes(bad, Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7919 >> 3)).ToArray());
        var r = CliProcess.Run("predict", bad, "--out", Out);
        Assert.Equal(1, r.ExitCode);
        string line = Assert.Single(r.StdErr.Trim().Split('\n'));
        Assert.StartsWith("videofer: error: ", line);
        Assert.Contains(bad, line);
        Assert.False(File.Exists(Path.Combine(Out, "predictions.csv")));
    }

    [Fact]
    public void ACheckpointOfTheWrongKindIsRefused()
    {
        string frameModel = Path.Combine(dir, "frame.pth");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18", "--kind", "frame", "--out", frameModel).ExitCode);
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--model", frameModel);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {frameModel}: is a checkpoint of resnet18 frame model, 7 classes; a clip model is needed here", r.StdErr.Trim());
    }

    /// <summary>A checkpoint of the paper's clip network runs on the tracks' aligned faces.</summary>
    [Fact]
    public void AClipModelCheckpointPredictsEveryFace()
    {
        string ckpt = Path.Combine(dir, "clip.pth");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18-cbam", "--out", ckpt).ExitCode);
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--model", ckpt, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal(1, json.RootElement.GetProperty("faces").GetInt32());
        Assert.Contains("clip model", json.RootElement.GetProperty("model").GetString());
    }
}
