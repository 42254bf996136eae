using OpenCvSharp;

namespace VideoFer.Inference.Tests;

/// <summary>The library's front door on real media: what it returns, its progress and its cancellation.</summary>
public class ExpressionAnalyzerTests : TempFolderTest
{
    static readonly Lazy<ExpressionAnalyzer> Default = new(() => ExpressionAnalyzer.CreateDefault());

    /// <summary>The first <paramref name="count"/> frames of Megamind.avi (two people) as a video of their own.</summary>
    string MegamindStart(int count)
    {
        string path = Path.Combine(dir, $"megamind-{count}.avi");
        using var source = new VideoCapture(TestMedia.Megamind);
        using var writer = new VideoWriter(path, FourCC.MJPG, source.Fps, new Size(source.FrameWidth, source.FrameHeight));
        using var frame = new Mat();
        for (int i = 0; i < count && source.Read(frame); i++) writer.Write(frame);
        return path;
    }

    [Fact]
    public void AnImageGivesOneFrameOneTrackAndProbabilitiesOverTheModelsClasses()
    {
        var result = Default.Value.Analyze(TestMedia.Messi);
        Assert.Equal(["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise"], result.ClassNames);
        var frame = Assert.Single(result.Frames);
        Assert.Equal(1, frame.Index);
        var face = Assert.Single(frame.Faces);
        var track = Assert.Single(result.Tracks);
        Assert.Same(face, Assert.Single(track.Faces));
        Assert.Equal(7, face.Probabilities.Count);
        Assert.InRange(face.Probabilities.Sum(), 0.999f, 1.001f);
        Assert.Equal(face.Probabilities.Max(), face.Confidence);
        Assert.Equal(face.Probabilities[face.LabelIndex], face.Probability(face.Label.ToUpperInvariant()));
        Assert.Throws<ArgumentException>(() => face.Probability("Other"));
        Assert.InRange(face.Box.Width, 20, 548);
        Assert.InRange(face.DetectionScore, 0.5f, 1f);
    }

    /// <summary>Frames, tracks and faces are views of the same records the CLI writes to its CSV.</summary>
    [Fact]
    public void FramesAndTracksHoldEveryRecordOfThePipelineOnce()
    {
        var progress = new List<AnalysisProgress>();
        var result = Default.Value.Analyze(MegamindStart(12), new Recorder(progress));
        Assert.Equal(12, result.Frames.Count);
        Assert.Equal(Enumerable.Range(1, 12), result.Frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(1, 12), progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.True(p.Total >= p.Done));
        var records = result.Prediction.Records;
        Assert.NotEmpty(records);
        var faces = result.Frames.SelectMany(f => f.Faces).ToList();
        Assert.Equal(records.Count, faces.Count);
        Assert.Equal(records.Count, result.Tracks.Sum(t => t.Faces.Count));
        foreach (var (record, face) in records.Zip(faces))
        {
            Assert.Equal((record.Frame, record.Track, record.Label), (face.Frame, face.Track, face.LabelIndex));
            Assert.Equal(record.Probabilities, face.Probabilities);
            Assert.Equal(record.Raw, face.RawProbabilities);
            Assert.Equal(record.Box.X, face.Box.X);
        }
        foreach (var frame in result.Frames)
            Assert.Equal((frame.Index - 1) / result.VideoFps, frame.Time, 9);
        Assert.All(result.Tracks, t => Assert.True(t.FirstFrame <= t.LastFrame));
    }

    [Fact]
    public void CancellationStopsBetweenFrames()
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<AnalysisProgress>();
        var cancelAtThree = new Recorder(seen, p => { if (p.Done == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Default.Value.Analyze(TestMedia.Megamind, cancelAtThree, cts.Token));
        Assert.InRange(seen.Count, 3, 3 + VideoPredictor.PipelineDepth);
    }

    [Fact]
    public void BadInputIsOneClearError()
    {
        string missing = Path.Combine(dir, "no-such-video.mp4");
        var e = Assert.Throws<VideoFerException>(() => Default.Value.Analyze(missing));
        Assert.Contains(missing, e.Message);
        Assert.Throws<VideoFerException>(() => ExpressionAnalyzer.CreateDefault(new ExpressionAnalyzerOptions { BaseSize = 256 }));
        Assert.Throws<VideoFerException>(() => ExpressionAnalyzer.CreateDefault(new ExpressionAnalyzerOptions { SmoothingRadius = -1 }));
    }

    sealed class Recorder(List<AnalysisProgress> seen, Action<AnalysisProgress>? then = null) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value)
        {
            seen.Add(value);
            then?.Invoke(value);
        }
    }
}
