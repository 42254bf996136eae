using VideoFer.Inference.People;

namespace VideoFer.Inference.Tests.People;

/// <summary>The linking rule on descriptors built by hand, where the right answer is known.</summary>
public class PeopleLinkerTests
{
    /// <summary>A unit vector at <paramref name="degrees"/> in the plane of the first two axes (cosine distance
    /// between two of them: 1 - cos of the angle between).</summary>
    static float[] At(double degrees, int dims = 4)
    {
        var v = new float[dims];
        v[0] = (float)Math.Cos(degrees * Math.PI / 180);
        v[1] = (float)Math.Sin(degrees * Math.PI / 180);
        return v;
    }

    static LinkableTrack Track(int id, int first, int last, float[]? d) => new(id, first, last, d);

    [Fact]
    public void CloseTracksAtDifferentTimesAreOnePersonAndFarOnesAreNot()
    {
        // 1 and 3 are the same face (10 degrees apart: distance 0.015), 2 is another (90 degrees: distance 1).
        var result = PeopleLinker.Link([Track(1, 1, 10, At(0)), Track(2, 11, 20, At(90)), Track(3, 21, 30, At(10))]);
        Assert.Equal([[1, 3], [2]], result.Groups.Select(g => g.ToArray()).ToArray());
        var merge = Assert.Single(result.Decisions, d => d.Merged);
        Assert.Equal(1 - Math.Cos(10 * Math.PI / 180), merge.Distance, 5);
        var refused = Assert.Single(result.Decisions, d => !d.Merged);
        Assert.True(refused.Distance >= PeopleLinker.DefaultThreshold);
    }

    [Fact]
    public void TracksOverlappingInTimeNeverMergeEvenWithIdenticalFaces()
    {
        // Twins on screen together: identical descriptors, overlapping spans (frames 5-10 shared).
        var result = PeopleLinker.Link([Track(1, 1, 10, At(0)), Track(2, 5, 20, At(0))]);
        Assert.Equal(2, result.Groups.Count);
        // Touching is overlapping: both on frame 10.
        Assert.Equal(2, PeopleLinker.Link([Track(1, 1, 10, At(0)), Track(2, 10, 20, At(0))]).Groups.Count);
    }

    [Fact]
    public void AGroupNeverAbsorbsATrackThatOverlapsAnyOfItsMembers()
    {
        // 1 (frames 1-10) and 3 (30-40) are one person; 2 (5-35) overlaps both, so can join neither, however close.
        var result = PeopleLinker.Link([Track(1, 1, 10, At(0)), Track(2, 5, 35, At(1)), Track(3, 30, 40, At(2))]);
        Assert.Equal([[1, 3], [2]], result.Groups.Select(g => g.ToArray()).ToArray());
    }

    [Fact]
    public void AnUnlinkableTrackKeepsAPersonOfItsOwn()
    {
        var result = PeopleLinker.Link([Track(1, 1, 10, At(0)), Track(2, 20, 30, null), Track(3, 40, 50, At(0))]);
        Assert.Equal([[1, 3], [2]], result.Groups.Select(g => g.ToArray()).ToArray());
    }

    [Fact]
    public void AverageLinkageDoesNotChainLookAlikesIntoOnePerson()
    {
        // A chain 0 -> 20 -> 40 -> 60 degrees: neighbours are 0.06 apart (below the threshold), the ends 0.5.
        // Single linkage would make one person of all four; average linkage stops where the group's mean
        // distance to the next track passes the threshold.
        var tracks = new[] { 0, 20, 40, 60, 80 }.Select((deg, i) => Track(i + 1, 100 * i, 100 * i + 50, At(deg))).ToList();
        var result = PeopleLinker.Link(tracks, threshold: 0.1);
        Assert.True(result.Groups.Count >= 2, string.Join(" | ", result.Groups.Select(g => string.Join(",", g))));
        foreach (var g in result.Groups)
        {
            var members = g.Select(t => tracks[t - 1].Descriptor!).ToList();
            var pairs = members.SelectMany((a, i) => members.Skip(i + 1).Select(b => PeopleLinker.CosineDistance(a, b))).ToList();
            if (pairs.Count > 0) Assert.True(pairs.Average() < 0.1);
        }
    }

    [Fact]
    public void MeanDescriptorIsTheUnitMeanOfUnitVectors()
    {
        var d = PeopleLinker.MeanDescriptor([[3, 0, 0, 0], [0, 0.5f, 0, 0]]);
        Assert.Equal(1.0, Math.Sqrt(d.Sum(v => (double)v * v)), 6);
        Assert.Equal(d[0], d[1], 6); // both inputs weigh the same whatever their length
    }

    [Fact]
    public void GroupsAreNumberedByFirstAppearance()
    {
        var result = PeopleLinker.Link([Track(5, 300, 400, At(90)), Track(2, 1, 10, At(0)), Track(7, 500, 600, At(1))]);
        Assert.Equal([[2, 7], [5]], result.Groups.Select(g => g.ToArray()).ToArray());
    }
}
