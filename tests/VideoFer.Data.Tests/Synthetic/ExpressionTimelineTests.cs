using VideoFer.Data.Randomness;
using VideoFer.Data.Synthetic;

namespace VideoFer.Data.Tests.Synthetic;

public class ExpressionTimelineTests
{
    static IEnumerable<ExpressionTimeline> Timelines()
    {
        var deck = new ExpressionDeck(new SeededRandom(1));
        for (int i = 0; i < 200; i++)
            yield return ExpressionTimeline.Generate(30 + i * 7, SeededRandom.Derive(3, i), deck);
    }

    [Fact]
    public void SegmentsTileTheTrackAndLast10To100Frames()
    {
        foreach (var t in Timelines())
        {
            int next = 0;
            foreach (var s in t.Segments)
            {
                Assert.Equal(next, s.Start);
                Assert.InRange(s.Length, ExpressionTimeline.MinSegment, ExpressionTimeline.MaxSegment);
                next += s.Length;
            }
            Assert.Equal(t.FrameCount, next);
        }
    }

    [Fact]
    public void ExpressionsRampUpHoldAndRampDown()
    {
        int checkedSegments = 0;
        foreach (var t in Timelines())
            foreach (var s in t.Segments.Where(s => s.Expression != Expression.Neutral))
            {
                var v = Enumerable.Range(s.Start, s.Length).Select(t.IntensityAt).ToArray();
                // Onset rises, offset falls, apex holds the peak.
                for (int k = 1; k < s.Onset; k++) Assert.True(v[k] > v[k - 1]);
                for (int k = s.Length - s.Offset + 1; k < s.Length; k++) Assert.True(v[k] < v[k - 1]);
                Assert.True(v[0] < 0.4, $"onset starts at {v[0]}");
                Assert.True(v[^1] < 0.4, $"offset ends at {v[^1]}");
                Assert.InRange(v.Max(), 0.8, 1.0);
                checkedSegments++;
            }
        Assert.True(checkedSegments > 100);
    }

    [Fact]
    public void NeutralSegmentsHaveNoIntensityAndAllClassesAppearEvenly()
    {
        var counts = new int[7];
        foreach (var t in Timelines())
            foreach (var s in t.Segments)
            {
                counts[(int)s.Expression]++;
                if (s.Expression == Expression.Neutral)
                    Assert.All(Enumerable.Range(s.Start, s.Length), f => Assert.Equal(0, t.IntensityAt(f)));
            }
        int min = counts.Skip(1).Min(), max = counts.Skip(1).Max();
        Assert.True(max - min <= 1, string.Join(",", counts)); // dealt from a deck
        Assert.True(counts[0] > 0);
    }
}
