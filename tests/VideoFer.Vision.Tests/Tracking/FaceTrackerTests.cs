using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Tracking;

namespace VideoFer.Vision.Tests.Tracking;

public class FaceTrackerTests
{
    static FaceDetection Face(float cx, float cy, float size = 60)
    {
        var kp = new[]
        {
            new Point2f(cx - 0.15f * size, cy - 0.1f * size), new Point2f(cx + 0.15f * size, cy - 0.1f * size),
            new Point2f(cx, cy + 0.05f * size), new Point2f(cx, cy + 0.25f * size),
            new Point2f(cx - 0.45f * size, cy), new Point2f(cx + 0.45f * size, cy),
        };
        return new FaceDetection(new Rect2f(cx - size / 2, cy - size / 2, size, size), kp, 0.9f);
    }

    [Fact]
    public void Two_moving_faces_keep_their_ids_whatever_the_detection_order()
    {
        var tracker = new FaceTracker();
        int? a = null, b = null;
        for (int f = 1; f <= 50; f++)
        {
            var left = Face(100 + 2 * f, 200);
            var right = Face(500 - 2 * f, 220);
            var dets = f % 2 == 0 ? new[] { left, right } : new[] { right, left }; // order flips every frame
            var tracked = tracker.Update(f, dets);
            int idLeft = tracked.Single(t => t.Detection == left).TrackId, idRight = tracked.Single(t => t.Detection == right).TrackId;
            a ??= idLeft; b ??= idRight;
            Assert.Equal(a, idLeft);
            Assert.Equal(b, idRight);
        }
        Assert.NotEqual(a, b);
        Assert.Equal(2, tracker.TrackCount);
    }

    [Fact]
    public void A_gap_up_to_max_gap_continues_the_track_a_longer_one_starts_a_new_one()
    {
        var tracker = new FaceTracker(new TrackerOptions { MaxGap = 5 });
        int id = tracker.Update(1, [Face(100, 100)])[0].TrackId;
        Assert.Equal(id, tracker.Update(7, [Face(104, 100)])[0].TrackId);   // frames 2-6 missing: gap 5
        Assert.NotEqual(id, tracker.Update(14, [Face(108, 100)])[0].TrackId); // frames 8-13 missing: gap 6
    }

    [Fact]
    public void A_shot_cut_gives_new_ids_even_at_the_same_place()
    {
        var tracker = new FaceTracker();
        int id = tracker.Update(1, [Face(100, 100)])[0].TrackId;
        Assert.Equal(id, tracker.Update(2, [Face(100, 100)])[0].TrackId);
        Assert.NotEqual(id, tracker.Update(3, [Face(100, 100)], shotCut: true)[0].TrackId);
    }

    [Fact]
    public void A_far_away_face_or_a_much_larger_one_is_someone_else()
    {
        var tracker = new FaceTracker();
        int id = tracker.Update(1, [Face(100, 100)])[0].TrackId;
        Assert.NotEqual(id, tracker.Update(2, [Face(300, 100)])[0].TrackId);
        var tracker2 = new FaceTracker();
        int id2 = tracker2.Update(1, [Face(100, 100, 40)])[0].TrackId;
        Assert.NotEqual(id2, tracker2.Update(2, [Face(100, 100, 120)])[0].TrackId);
    }

    [Fact]
    public void Keypoint_distance_is_relative_to_face_size()
    {
        Assert.Equal(0f, FaceTracker.KeypointDistance(Face(10, 10), Face(10, 10)), 5);
        Assert.Equal(0.5f, FaceTracker.KeypointDistance(Face(0, 0, 60), Face(30, 0, 60)), 4);
    }
}
