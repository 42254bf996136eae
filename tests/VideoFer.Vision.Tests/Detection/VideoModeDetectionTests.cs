using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Detection;

/// <summary>BlazeFace in video mode: the full search every k-th frame, known faces followed between.</summary>
public class VideoModeDetectionTests(ITestOutputHelper output)
{
    /// <summary>A small face (48 px in 1280x720, found only by tiles) moving slowly: video mode finds it on
    /// every frame with one region per frame, plus the whole frame every 8th frame and the tiles every
    /// 16th, instead of 9 regions on each.</summary>
    [Fact]
    public void A_small_face_is_followed_between_full_searches_with_one_region_per_frame()
    {
        using var everyFrameDetector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 1 });
        using var videoModeDetector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 8, TileSearchEvery = 16 });
        IVideoFaceSearch everyFrame = everyFrameDetector.StartVideo(), videoMode = videoModeDetector.StartVideo();
        var regions = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            using var frame = Scenes.SmallFaceScene(shift: 3 * i);
            var reference = everyFrame.Next(frame, rescan: i == 0).Faces;
            var result = videoMode.Next(frame, rescan: i == 0);
            var faces = result.Faces;
            regions.Add(result.Regions);
            Assert.Single(reference);
            var face = Assert.Single(faces);
            Assert.InRange(face.Box.X, 480 + 3 * i, 560 + 3 * i); // the pasted face, not a false hit
            float iou = FaceDetection.IoU(face.Box, reference[0].Box);
            Assert.True(iou > 0.6, $"frame {i}: IoU {iou:0.00}");
        }
        output.WriteLine("regions per frame: " + string.Join(",", regions));
        // whole frame + 8 tiles, and the face's region: the new face measured by the follower, then followed
        Assert.Equal(10, regions[0]);
        Assert.Equal(1 + 1, regions[8]);   // the followed face's region and the whole frame
        Assert.Equal(1 + 9, regions[16]);  // ... and the tiles
        Assert.All(regions.Where((_, i) => i % 8 != 0), n => Assert.Equal(1, n));
    }

    /// <summary>With <see cref="FaceDetectorOptions.BatchRegions"/> the search's 9 regions are one forward
    /// pass; the new face's look by the short-range model is another.</summary>
    [Fact]
    public void Forward_passes_in_video_mode_count_a_batched_search_once()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { BatchRegions = true });
        var search = detector.StartVideo();
        using var frame = Scenes.SmallFaceScene();
        var first = search.Next(frame, rescan: true);
        Assert.Single(first.Faces);
        Assert.Equal(9 + 1, first.Regions);
        Assert.Equal(1 + 1, first.ForwardPasses);
        var second = search.Next(frame, rescan: false);
        Assert.Single(second.Faces);
        Assert.Equal(1, second.ForwardPasses);
    }

    /// <summary>In a region 8 times its side the 48-pixel face is too small for the short-range model
    /// (16 px at its 128 px input) but not for the full-range one (24 px at 192): that model follows
    /// it, one pass per frame, rather than a full search on every frame after the face is "lost".</summary>
    [Fact]
    public void A_face_the_short_range_model_misses_is_followed_by_the_full_range_model()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 8, FollowRegionScale = 8 });
        var search = detector.StartVideo();
        var regions = new List<int>();
        for (int i = 0; i < 8; i++)
        {
            using var frame = Scenes.SmallFaceScene(shift: 3 * i);
            var result = search.Next(frame, rescan: i == 0);
            var face = Assert.Single(result.Faces);
            Assert.InRange(face.Box.X, 480 + 3 * i, 560 + 3 * i);
            regions.Add(result.Regions);
        }
        output.WriteLine("regions per frame: " + string.Join(",", regions));
        Assert.Equal(9 + 1, regions[0]); // the full search, then the short-range model's look, which misses
        Assert.All(regions.Skip(1), n => Assert.Equal(1, n));
    }

    /// <summary>On Megamind (the full search on every frame vs every 8th and at shot cuts) nearly every face is still found, and the keypoints of a face move no more
    /// unsteadily from frame to frame than with the full search.</summary>
    [Fact]
    public void On_Megamind_video_mode_finds_what_the_full_search_finds_as_steadily()
    {
        using var everyFrameDetector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 1 });
        using var videoModeDetector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 8 });
        IVideoFaceSearch everyFrame = everyFrameDetector.StartVideo(), videoMode = videoModeDetector.StartVideo();
        using var source = new VideoFileSource(TestMedia.Megamind);
        using var cuts = new Faces.Tracking.ShotCutDetector(new Faces.Tracking.TrackerOptions().ShotCutThreshold);
        var reference = new List<IReadOnlyList<FaceDetection>>();
        var video = new List<IReadOnlyList<FaceDetection>>();
        int regionsReference = 0, regionsVideo = 0;
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                bool rescan = cuts.IsCut(frame.Image) || frame.Index == 1; // as FacePipeline asks
                var referenceResult = everyFrame.Next(frame.Image, rescan);
                reference.Add(referenceResult.Faces);
                regionsReference += referenceResult.Regions;
                var videoResult = videoMode.Next(frame.Image, rescan);
                video.Add(videoResult.Faces);
                regionsVideo += videoResult.Regions;
            }
        int expected = reference.Sum(r => r.Count);
        int matched = reference.Zip(video).Sum(p => p.First.Count(x => p.Second.Any(y => FaceDetection.IoU(x.Box, y.Box) > 0.5)));
        int extra = reference.Zip(video).Sum(p => p.Second.Count(y => !p.First.Any(x => FaceDetection.IoU(x.Box, y.Box) > 0.5)));
        double jitterReference = KeypointJitter(reference), jitterVideo = KeypointJitter(video);
        output.WriteLine($"{matched}/{expected} faces found again, {extra} extra; regions {regionsVideo} vs {regionsReference}; " +
                         $"keypoint jitter {jitterVideo:0.0000} vs {jitterReference:0.0000} of the face size");
        Assert.True(matched >= 0.97 * expected, $"{matched}/{expected}");
        Assert.True(extra <= 0.02 * expected, $"{extra} extra");
        Assert.True(regionsVideo < 0.4 * regionsReference);
        Assert.True(jitterVideo < 1.15 * jitterReference, $"jitter {jitterVideo:0.0000} vs {jitterReference:0.0000}");
    }

    /// <summary>Mean length of the keypoints' second difference over three consecutive frames (their
    /// acceleration), relative to the face size: how unsteadily a face's crop would move.</summary>
    static double KeypointJitter(List<IReadOnlyList<FaceDetection>> frames)
    {
        double sum = 0;
        int count = 0;
        for (int t = 1; t + 1 < frames.Count; t++)
            foreach (var face in frames[t])
            {
                var before = frames[t - 1].FirstOrDefault(f => FaceDetection.IoU(f.Box, face.Box) > 0.5);
                var after = frames[t + 1].FirstOrDefault(f => FaceDetection.IoU(f.Box, face.Box) > 0.5);
                if (before is null || after is null) continue;
                for (int k = 0; k < FaceDetection.KeypointCount; k++)
                {
                    var d = before.Keypoints[k] - face.Keypoints[k] - face.Keypoints[k] + after.Keypoints[k];
                    sum += Math.Sqrt(d.X * d.X + d.Y * d.Y) / face.Size;
                    count++;
                }
            }
        return sum / count;
    }

    /// <summary>Without tiles (`--tiles 0`) the full search is the whole frame alone; between, the
    /// followed faces' regions; the faces are those of the whole-frame search.</summary>
    [Fact]
    public void Without_tiles_the_full_search_is_the_whole_frame()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { TilesPerShortSide = 0, FullSearchEvery = 8 });
        var search = detector.StartVideo();
        using var source = new VideoFileSource(TestMedia.Megamind);
        foreach (var frame in source.ReadFrames().Take(40))
            using (frame)
            {
                var inVideo = search.Next(frame.Image, rescan: frame.Index == 1).Faces;
                var full = detector.Search(frame.Image);
                var alone = full.Faces;
                // The full search: the whole frame, no tiles (and one more look at each face rolled in the image);
                // where it finds nothing, the close-up pass, then both again on the frame turned three ways.
                if (alone.Count > 0) Assert.InRange(full.Regions, 1, 1 + alone.Count);
                else Assert.Equal(2 + 3 * 2, full.Regions);
                Assert.All(alone, a => Assert.Contains(inVideo, v => FaceDetection.IoU(a.Box, v.Box) > 0.5));
            }
    }

    /// <summary>When the followed face leaves, that frame gets the full search; with nothing followed
    /// the whole frame runs on every frame; a face only tiles see is found at the next tile search.</summary>
    [Fact]
    public void A_lost_face_triggers_the_full_search_and_a_new_face_waits_for_the_next_one()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { FullSearchEvery = 8, TileSearchEvery = 16 });
        var search = detector.StartVideo();
        using var withFace = Scenes.SmallFaceScene();
        using var board = Cv2.ImRead(TestMedia.Board);
        using var empty = new Mat();
        Cv2.Resize(board, empty, withFace.Size());

        Assert.Single(search.Next(withFace, rescan: true).Faces);
        var followed = search.Next(withFace, rescan: false);
        Assert.Single(followed.Faces);
        Assert.Equal(1, followed.Regions);

        var lost = search.Next(empty, rescan: false); // frame 3: lost -> full search
        Assert.Empty(lost.Faces);
        // the followed region, the whole frame, 8 tiles and the close-up pass; finding nothing, the same search
        // (whole frame, 8 tiles, close-up) on the frame turned three ways
        Assert.Equal(1 + 9 + 1 + 3 * 10, lost.Regions);
        var nothing = search.Next(empty, rescan: false); // nothing to follow: the whole frame and the close-up pass
        Assert.Empty(nothing.Faces);
        Assert.Equal(2, nothing.Regions);

        // The small face comes back on frames 5..: too small for the whole frame, unseen until the
        // tiles run again, 16 frames after frame 3.
        var counts = new List<(int Faces, int Regions)>();
        for (int frame = 5; frame < 19; frame++)
        {
            var result = search.Next(withFace, rescan: false);
            counts.Add((result.Faces.Count, result.Regions));
        }
        Assert.All(counts, c => Assert.Equal((0, 2), c));
        var back = search.Next(withFace, rescan: false); // frame 19: whole frame and tiles
        Assert.Single(back.Faces);
        Assert.Equal(9 + 1, back.Regions);
    }
}
