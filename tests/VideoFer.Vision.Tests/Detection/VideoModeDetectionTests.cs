using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Detection;

/// <summary>BlazeFace in video mode: tiles on every k-th frame, regions around small faces between.</summary>
public class VideoModeDetectionTests(ITestOutputHelper output)
{
    /// <summary>A small face (48 px in 1280x720, found only by tiles) moving slowly: video mode finds it on
    /// every frame with 2 regions between tiled frames instead of 9 on each.</summary>
    [Fact]
    public void A_small_face_is_followed_between_tiled_frames_at_two_regions_per_frame()
    {
        using var tiledEveryFrame = new BlazeFaceDetector(new FaceDetectorOptions { TileEvery = 1 });
        using var videoMode = new BlazeFaceDetector(new FaceDetectorOptions { TileEvery = 8 });
        var regions = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            using var frame = TestMedia.SmallFaceScene(shift: 3 * i);
            var reference = tiledEveryFrame.DetectInVideo(frame, rescan: i == 0);
            var faces = videoMode.DetectInVideo(frame, rescan: i == 0);
            regions.Add(videoMode.LastInferenceCount);
            Assert.Single(reference);
            var face = Assert.Single(faces);
            Assert.InRange(face.Box.X, 480 + 3 * i, 560 + 3 * i); // the pasted face, not a false hit
            Assert.True(FaceDetection.IoU(face.Box, reference[0].Box) > 0.7, $"frame {i}: IoU {FaceDetection.IoU(face.Box, reference[0].Box):0.00}");
        }
        output.WriteLine("regions per frame: " + string.Join(",", regions));
        Assert.Equal(9, regions[0]);
        Assert.Equal(9, regions[8]);
        Assert.Equal(9, regions[16]);
        Assert.All(regions.Where((_, i) => i % 8 != 0), n => Assert.Equal(2, n));
    }

    /// <summary>On Megamind (tiles on every frame vs every 8th), nearly every face is still found.</summary>
    [Fact]
    public void On_Megamind_video_mode_finds_what_tiling_every_frame_finds()
    {
        using var tiledEveryFrame = new BlazeFaceDetector(new FaceDetectorOptions { TileEvery = 1 });
        using var videoMode = new BlazeFaceDetector(new FaceDetectorOptions { TileEvery = 8 });
        using var source = new VideoFileSource(TestMedia.Megamind);
        int reference = 0, matched = 0, extra = 0, regionsReference = 0, regionsVideo = 0;
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                bool first = frame.Index == 1;
                var a = tiledEveryFrame.DetectInVideo(frame.Image, first);
                regionsReference += tiledEveryFrame.LastInferenceCount;
                var b = videoMode.DetectInVideo(frame.Image, first);
                regionsVideo += videoMode.LastInferenceCount;
                reference += a.Count;
                matched += a.Count(x => b.Any(y => FaceDetection.IoU(x.Box, y.Box) > 0.5));
                extra += b.Count(y => !a.Any(x => FaceDetection.IoU(x.Box, y.Box) > 0.5));
            }
        output.WriteLine($"{matched}/{reference} faces found again, {extra} extra; regions {regionsVideo} vs {regionsReference}");
        Assert.True(matched >= 0.95 * reference, $"{matched}/{reference}");
        Assert.True(extra <= 0.02 * reference, $"{extra} extra");
        Assert.True(regionsVideo < 0.4 * regionsReference);
    }

    /// <summary>Without tiles (`--tiles 0`) video mode is the plain search on every frame: one region,
    /// nothing added around Megamind's smaller face.</summary>
    [Fact]
    public void Without_tiles_video_mode_is_the_whole_frame_search_on_every_frame()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { TilesPerShortSide = 0, TileEvery = 8 });
        using var source = new VideoFileSource(TestMedia.Megamind);
        foreach (var frame in source.ReadFrames().Take(40))
            using (frame)
            {
                var inVideo = detector.DetectInVideo(frame.Image, rescan: frame.Index == 1);
                Assert.Equal(1, detector.LastInferenceCount);
                var alone = detector.Detect(frame.Image);
                Assert.Equal(alone.Select(f => f.Box), inVideo.Select(f => f.Box));
            }
    }
}
