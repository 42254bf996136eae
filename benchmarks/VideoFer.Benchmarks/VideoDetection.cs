using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Video;

namespace VideoFer.Benchmarks;

/// <summary>BlazeFace over the first 32 frames of Megamind.avi (720x528, two faces; decoded beforehand):
/// the full search on every frame (whole frame + 6 tiles) against video mode (searches now and then,
/// known faces followed by the short-range model).</summary>
public class VideoDetection
{
    readonly List<Mat> _frames = [];
    BlazeFaceDetector _detector = null!;

    [Params(1, 8)]
    public int FullSearchEvery { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _detector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = FullSearchEvery });
        using var source = new VideoFileSource(Media.Find("Megamind.avi"));
        foreach (var frame in source.ReadFrames().Take(32))
            using (frame) _frames.Add(frame.Image.Clone());
    }

    /// <summary>Faces found over the 32 frames by a fresh video search.</summary>
    [Benchmark]
    public int DetectInVideo()
    {
        int faces = 0;
        var search = _detector.StartVideo();
        for (int i = 0; i < _frames.Count; i++) faces += search.Next(_frames[i], rescan: i == 0).Faces.Count;
        return faces;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var frame in _frames) frame.Dispose();
        _detector.Dispose();
    }
}
