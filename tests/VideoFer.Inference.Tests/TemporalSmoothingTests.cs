using OpenCvSharp;

namespace VideoFer.Inference.Tests;

public class TemporalSmoothingTests
{
    static PredictionRecord R(int frame, int track, params float[] p) => new(frame, frame / 25.0, track, new Rect2f(0, 0, 10, 10), 1, p);

    [Fact]
    public void CentredAverageOverTheTracksOwnFrames()
    {
        var records = new List<PredictionRecord>
        {
            R(1, 1, 1, 0), R(2, 1, 0, 1), R(3, 1, 1, 0), R(4, 1, 1, 0),
            R(2, 2, 0, 1), // another track: never mixed in
        };
        var smoothed = TemporalSmoothing.Apply(records, radius: 1);
        Assert.Equal(new[] { 0.5f, 0.5f }, smoothed[0].Probabilities);          // frames 1-2
        Assert.Equal(new[] { 2f / 3, 1f / 3 }, smoothed[1].Probabilities);      // frames 1-3
        Assert.Equal(new[] { 2f / 3, 1f / 3 }, smoothed[2].Probabilities);      // frames 2-4
        Assert.Equal(new[] { 1f, 0f }, smoothed[3].Probabilities);              // frames 3-4
        Assert.Equal(new[] { 0f, 1f }, smoothed[4].Probabilities);
        Assert.Equal(0, smoothed[1].Label);
        // New records in the input's order, each keeping its face and raw output; the input is untouched.
        Assert.Equal(records.Select(r => (r.Frame, r.Track, r.Time, r.Box, r.Score)), smoothed.Select(r => (r.Frame, r.Track, r.Time, r.Box, r.Score)));
        Assert.Equal(records.Select(r => r.Raw), smoothed.Select(r => r.Raw));
        Assert.Equal(new[] { 0f, 1f }, records[1].Probabilities);
    }

    [Fact]
    public void GapsLongerThanTheRadiusAreNotBridgedAndRadiusZeroKeepsRaw()
    {
        var records = new List<PredictionRecord> { R(1, 1, 1, 0), R(10, 1, 0, 1) };
        var smoothed = TemporalSmoothing.Apply(records, radius: 3);
        Assert.Equal(new[] { 1f, 0f }, smoothed[0].Probabilities);
        Assert.Equal(new[] { 0f, 1f }, smoothed[1].Probabilities);
        var again = TemporalSmoothing.Apply([R(1, 1, 0.2f, 0.8f), R(2, 1, 0.6f, 0.4f)], radius: 0);
        Assert.Equal(again[0].Raw, again[0].Probabilities);
        Assert.Equal(again[1].Raw, again[1].Probabilities);
    }

    [Fact]
    public void NegativeRadiusIsAClearError()
    {
        var e = Assert.Throws<VideoFerException>(() => TemporalSmoothing.Apply([R(1, 1, 1, 0)], -1));
        Assert.Contains("--smooth -1", e.Message);
    }
}
