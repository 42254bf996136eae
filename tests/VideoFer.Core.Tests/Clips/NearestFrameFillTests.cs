using VideoFer.Clips;

namespace VideoFer.Tests.Clips;

public class NearestFrameFillTests
{
    // The rule, stated independently: the frame with an image at the least distance, the earlier on a tie.
    static int BruteForce(bool[] has, int frame)
    {
        int best = 0, bestDistance = int.MaxValue;
        for (int f = 1; f <= has.Length; f++)
            if (has[f - 1] && Math.Abs(f - frame) < bestDistance)
                (best, bestDistance) = (f, Math.Abs(f - frame));
        return best;
    }

    [Fact]
    public void Sources_are_the_nearest_frame_with_an_image_earlier_on_ties()
    {
        var r = new Random(11);
        for (int trial = 0; trial < 500; trial++)
        {
            var has = Enumerable.Range(0, r.Next(0, 40)).Select(_ => r.NextDouble() < (trial % 3) * 0.3 + 0.05).ToArray();
            var sources = NearestFrameFill.Sources(has);
            for (int f = 1; f <= has.Length; f++)
                Assert.Equal(BruteForce(has, f), sources[f - 1]);
        }
    }

    [Fact]
    public void A_single_gap_takes_the_previous_frame()
    {
        Assert.Equal([1, 1, 3], NearestFrameFill.Sources([true, false, true]));
        Assert.Equal([1, 1, 4, 4], NearestFrameFill.Sources([true, false, false, true]));
    }

    [Fact]
    public void Fill_copies_values_from_the_source_frames()
    {
        var has = new[] { false, true, false, false, false, true };
        Assert.Equal([20, 20, 20, 20, 60, 60], NearestFrameFill.Fill([10, 20, 30, 40, 50, 60], has));
        Assert.Equal([1, 2], NearestFrameFill.Fill([1, 2], [false, false]));
    }
}
