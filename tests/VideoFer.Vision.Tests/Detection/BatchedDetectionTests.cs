using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Detection;

/// <summary>Detectors that differ only in running the whole frame and the tiles as one batch or one
/// forward pass per region.</summary>
public sealed class BatchedDetectorsFixture : IDisposable
{
    public BlazeFaceDetector FullPerRegion { get; } = new(new FaceDetectorOptions { BatchRegions = false });
    public BlazeFaceDetector FullBatched { get; } = new(new FaceDetectorOptions { BatchRegions = true });
    // The short-range model has two output heads, which a batch lays out head by head. A low threshold
    // lets many anchors through, so a mix-up of images or anchors shows.
    public BlazeFaceDetector ShortPerRegion { get; } = new(ShortOptions(batch: false));
    public BlazeFaceDetector ShortBatched { get; } = new(ShortOptions(batch: true));

    static FaceDetectorOptions ShortOptions(bool batch) =>
        new() { Model = BlazeFaceModel.ShortRange, MinScore = 0.2f, TilesPerShortSide = 3, BatchRegions = batch };

    public void Dispose()
    {
        FullPerRegion.Dispose();
        FullBatched.Dispose();
        ShortPerRegion.Dispose();
        ShortBatched.Dispose();
    }
}

/// <summary>The batched forward pass gives the detections of one pass per region, on real frames.</summary>
[Collection("detector")] // keeps the CPU-heavy detector tests from running in parallel
public class BatchedDetectionTests(BatchedDetectorsFixture detectors, ITestOutputHelper output)
    : IClassFixture<BatchedDetectorsFixture>
{
    const float Tolerance = 1e-4f;

    [Fact]
    public void Batched_equals_per_region_on_messi5()
    {
        using var image = Cv2.ImRead(TestMedia.Messi);
        var (_, batched) = AssertSame(detectors.FullPerRegion, detectors.FullBatched, image, "messi5");
        Assert.True(batched.Faces.Count >= 1);
        Assert.True(batched.Regions > 1, "messi5 should be tiled");
    }

    [Fact]
    public void Batched_equals_per_region_on_Megamind_frames()
    {
        int frames = 0, withFaces = 0;
        foreach (var frame in MegamindFrames())
            using (frame)
            {
                frames++;
                if (AssertSame(detectors.FullPerRegion, detectors.FullBatched, frame, "Megamind").Batched.Faces.Count > 0) withFaces++;
            }
        Assert.Equal(6, frames);
        Assert.Equal(frames, withFaces);
    }

    [Fact]
    public void Batched_equals_per_region_on_1280x720_frames_with_tiles()
    {
        int faces = 0;
        foreach (var frame in MegamindFrames().Take(3).Append(Scenes.SmallFaceScene()))
            using (frame)
            using (var large = new Mat())
            {
                if (frame.Width != 1280) Cv2.Resize(frame, large, new Size(1280, 720));
                else frame.CopyTo(large);
                var (perRegion, batched) = AssertSame(detectors.FullPerRegion, detectors.FullBatched, large, "1280x720");
                faces += batched.Faces.Count;
                // 1280x720 with 2 tiles across the short side: the whole frame + 4 x 2 tiles.
                Assert.Equal(9, batched.Regions);
                Assert.Equal(1, batched.ForwardPasses);
                Assert.Equal(9, perRegion.Regions);
                Assert.Equal(9, perRegion.ForwardPasses);
            }
        Assert.True(faces >= 4);
    }

    [Fact]
    public void Batched_equals_per_region_for_the_short_range_model()
    {
        using var messi = Cv2.ImRead(TestMedia.Messi);
        var (_, onMessi) = AssertSame(detectors.ShortPerRegion, detectors.ShortBatched, messi, "short messi5");
        int faces = onMessi.Faces.Count;
        foreach (var frame in MegamindFrames().Take(4))
            using (frame)
                faces += AssertSame(detectors.ShortPerRegion, detectors.ShortBatched, frame, "short Megamind").Batched.Faces.Count;
        Assert.True(faces >= 3, $"only {faces} faces");
        Assert.True(onMessi.Regions > 1);
    }

    /// <summary>Same count, and each detection's box, keypoints and score within the tolerance; both searches.</summary>
    (FaceSearchResult PerRegion, FaceSearchResult Batched) AssertSame(BlazeFaceDetector perRegion, BlazeFaceDetector batched, Mat image, string what)
    {
        var one = perRegion.Search(image);
        var all = batched.Search(image);
        IReadOnlyList<FaceDetection> expected = one.Faces, actual = all.Faces;
        output.WriteLine($"{what} {image.Width}x{image.Height}: {expected.Count} faces, {all.Regions} regions");
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            FaceDetection e = expected[i], a = actual[i];
            Assert.Equal(e.Score, a.Score, Tolerance);
            Assert.Equal(e.Box.X, a.Box.X, Tolerance);
            Assert.Equal(e.Box.Y, a.Box.Y, Tolerance);
            Assert.Equal(e.Box.Width, a.Box.Width, Tolerance);
            Assert.Equal(e.Box.Height, a.Box.Height, Tolerance);
            for (int k = 0; k < FaceDetection.KeypointCount; k++)
            {
                Assert.Equal(e.Keypoints[k].X, a.Keypoints[k].X, Tolerance);
                Assert.Equal(e.Keypoints[k].Y, a.Keypoints[k].Y, Tolerance);
            }
        }
        return (one, all);
    }

    /// <summary>Frames of the two-person shot and of later shots.</summary>
    static IEnumerable<Mat> MegamindFrames()
    {
        int[] wanted = [10, 40, 70, 120, 180, 230];
        using var source = new VideoFileSource(TestMedia.Megamind);
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                if (frame.Index > wanted[^1]) yield break;
                if (wanted.Contains(frame.Index)) yield return frame.Image.Clone();
            }
    }
}
