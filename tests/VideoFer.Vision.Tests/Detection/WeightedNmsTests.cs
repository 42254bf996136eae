using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class WeightedNmsTests
{
    static FaceDetection Face(float x, float y, float size, float score) => new(
        new Rect2f(x, y, size, size),
        Enumerable.Range(0, 6).Select(k => new Point2f(x + k, y + k)).ToArray(), score);

    [Fact]
    public void Overlapping_boxes_merge_into_their_score_weighted_mean()
    {
        var merged = WeightedNms.Apply([Face(0, 0, 10, 0.9f), Face(2, 0, 10, 0.3f), Face(100, 100, 10, 0.7f)]);

        Assert.Equal(2, merged.Count);
        var first = merged[0];
        Assert.Equal(0.9f, first.Score);
        Assert.Equal((0 * 0.9f + 2 * 0.3f) / 1.2f, first.Box.X, 4);
        Assert.Equal((0 * 0.9f + 2 * 0.3f) / 1.2f + 3, first.Keypoints[3].X, 4);
        Assert.Equal(100f, merged[1].Box.X);
    }

    [Fact]
    public void Plain_nms_keeps_the_best_box_unchanged()
    {
        var kept = WeightedNms.Apply([Face(2, 0, 10, 0.3f), Face(0, 0, 10, 0.9f)], weighted: false);
        var only = Assert.Single(kept);
        Assert.Equal(0f, only.Box.X);
    }

    [Fact]
    public void Boxes_overlapping_less_than_the_threshold_stay_apart()
    {
        // IoU of two 10x10 boxes shifted by 6: 40 / 160 = 0.25 < 0.3
        Assert.Equal(2, WeightedNms.Apply([Face(0, 0, 10, 0.9f), Face(6, 0, 10, 0.8f)], 0.3f).Count);
        Assert.Single(WeightedNms.Apply([Face(0, 0, 10, 0.9f), Face(6, 0, 10, 0.8f)], 0.2f));
    }
}
