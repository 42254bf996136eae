using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Benchmarks;

/// <summary>BlazeFace on a 1280x720 frame with tiling (whole frame + 6 tiles), one network call per
/// region or all regions in one batch. Needs tests/fixtures/media (scripts/fetch-test-media.sh).</summary>
public class FaceDetection
{
    BlazeFaceDetector _detector = null!;
    Mat _frame = null!;

    [Params(false, true)]
    public bool BatchRegions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _detector = new BlazeFaceDetector(new FaceDetectorOptions { BatchRegions = BatchRegions });
        using var image = Cv2.ImRead(Media.Find("messi5.jpg"));
        _frame = image.Resize(new Size(1280, 720));
    }

    [Benchmark]
    public int Detect() => _detector.Detect(_frame).Count;

    [GlobalCleanup]
    public void Cleanup()
    {
        _detector.Dispose();
        _frame.Dispose();
    }
}

static class Media
{
    /// <summary>tests/fixtures/media/NAME above the working directory (BenchmarkDotNet runs from its own bin folder).</summary>
    public static string Find(string name)
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "media", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/fixtures/media/{name} not found above {Environment.CurrentDirectory}; run scripts/fetch-test-media.sh");
    }
}
