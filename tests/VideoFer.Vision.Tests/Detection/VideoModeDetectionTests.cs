using OpenCvSharp;
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
            using var frame = SmallFaceScene(shift: 3 * i);
            var reference = tiledEveryFrame.DetectInVideo(frame, rescan: i == 0);
            var faces = videoMode.DetectInVideo(frame, rescan: i == 0);
            regions.Add(videoMode.LastInferenceCount);
            Assert.Single(reference);
            var face = Assert.Single(faces);
            Assert.InRange(face.Box.X, 480 + 3 * i, 560 + 3 * i); // the pasted face, not a false hit
            Assert.True(Iou(face.Box, reference[0].Box) > 0.7, $"frame {i}: IoU {Iou(face.Box, reference[0].Box):0.00}");
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
                matched += a.Count(x => b.Any(y => Iou(x.Box, y.Box) > 0.5));
                extra += b.Count(y => !a.Any(x => Iou(x.Box, y.Box) > 0.5));
            }
        output.WriteLine($"{matched}/{reference} faces found again, {extra} extra; regions {regionsVideo} vs {regionsReference}");
        Assert.True(matched >= 0.95 * reference, $"{matched}/{reference}");
        Assert.True(extra <= 0.02 * reference, $"{extra} extra");
        Assert.True(regionsVideo < 0.4 * regionsReference);
    }

    static float Iou(Rect2f a, Rect2f b)
    {
        float x1 = Math.Max(a.Left, b.Left), y1 = Math.Max(a.Top, b.Top), x2 = Math.Min(a.Right, b.Right), y2 = Math.Min(a.Bottom, b.Bottom);
        float inter = Math.Max(0, x2 - x1) * Math.Max(0, y2 - y1);
        return inter / (a.Width * a.Height + b.Width * b.Height - inter);
    }

    /// <summary>Messi's face (the 68 px box resized to 96 px) pasted into a 1280x720 board scene, moved right by <paramref name="shift"/>.</summary>
    static Mat SmallFaceScene(int shift)
    {
        using var messi = Cv2.ImRead(TestMedia.Messi);
        using var board = Cv2.ImRead(TestMedia.Board);
        using var patch = new Mat(messi, new Rect(206, 76, 68, 68));
        using var small = new Mat();
        Cv2.Resize(patch, small, new Size(96, 96), 0, 0, InterpolationFlags.Area);
        var canvas = new Mat();
        Cv2.Resize(board, canvas, new Size(1280, 720));
        using (var roi = new Mat(canvas, new Rect(500 + shift, 300, 96, 96))) small.CopyTo(roi);
        return canvas;
    }
}
