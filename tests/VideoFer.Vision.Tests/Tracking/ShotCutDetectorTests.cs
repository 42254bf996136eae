using OpenCvSharp;
using VideoFer.Vision.Faces.Tracking;
using VideoFer.Vision.Video;

namespace VideoFer.Vision.Tests.Tracking;

public class ShotCutDetectorTests
{
    [Fact]
    public void Joining_two_different_videos_is_a_cut_and_the_frames_of_one_shot_are_not()
    {
        // 20 consecutive frames of vtest.avi (one fixed camera), then 20 from inside Megamind's first shot.
        var frames = new List<Mat>();
        using (var vtest = new VideoFileSource(TestMedia.Path("vtest.avi")))
            foreach (var f in vtest.ReadFrames()) { if (f.Index > 20) { f.Dispose(); break; } frames.Add(f.Image); }
        using (var mm = new VideoFileSource(TestMedia.Megamind))
            foreach (var f in mm.ReadFrames())
            {
                if (f.Index > 50) { f.Dispose(); break; }
                if (f.Index > 30) { using var resized = f.Image.Resize(frames[0].Size()); frames.Add(resized.Clone()); }
                f.Dispose();
            }

        using var detector = new ShotCutDetector();
        var cuts = frames.Select((m, i) => (i, cut: detector.IsCut(m))).Where(x => x.cut).Select(x => x.i).ToList();
        frames.ForEach(m => m.Dispose());
        Assert.Equal([20], cuts);
    }
}
