using System.Text.Json;
using OpenCvSharp;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer predict` as a user runs it, on real media.</summary>
public class PredictCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-predict-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Out => Path.Combine(dir, "out");

    /// <summary>The demo's video end to end: every output present and consistent with the others.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void MegamindGivesConsistentCsvAbawFilesAnnotatedVideoAndTimelines()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("Megamind.avi"), "--out", Out, "--tiles", "0", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var s = json.RootElement;
        int frames = s.GetProperty("frames").GetInt32();
        Assert.Equal(270, frames);
        int tracks = s.GetProperty("tracks").GetInt32();
        Assert.True(tracks >= 2, $"{tracks} tracks");
        int faces = s.GetProperty("faces").GetInt32();
        Assert.Equal(faces, s.GetProperty("label_counts").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.InRange(s.GetProperty("frames_with_face").GetInt32(), frames / 2, frames);

        var csv = File.ReadAllLines(Path.Combine(Out, "predictions.csv"));
        Assert.Equal("frame,time,track,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,label", csv[0]);
        Assert.Equal(faces, csv.Length - 1);
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            var p = f[8..15].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(p.Sum(), 0.999, 1.001);
            Assert.Equal(new[] { "Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise" }[Array.IndexOf(p, p.Max())], f[15]);
        }

        var abaw = Directory.GetFiles(Path.Combine(Out, "abaw"), "*.txt");
        Assert.Equal(tracks, abaw.Length);
        foreach (var file in abaw)
            Assert.Equal(frames + 1, File.ReadAllLines(file).Length); // header + every frame

        using (var video = new VideoCapture(Path.Combine(Out, "annotated.mp4")))
        {
            Assert.True(video.IsOpened());
            Assert.InRange(video.FrameCount, frames - 1, frames + 1);
            Assert.Equal(720, video.FrameWidth);
        }
        Assert.Equal(tracks, Directory.GetFiles(Out, "timeline_track*.png").Length);
        Assert.Empty(Directory.GetFiles(Out, "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnImageGivesAnAnnotatedPictureAndOneTrack()
    {
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Out, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal(1, json.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tracks").GetInt32());
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
