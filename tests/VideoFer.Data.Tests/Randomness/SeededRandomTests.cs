using VideoFer.Data.Randomness;

namespace VideoFer.Data.Tests.Randomness;

public class SeededRandomTests
{
    [Fact]
    public void SameSeedGivesSameStreamAndDifferentSeedsDiffer()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void DerivedStreamsDependOnlyOnSeedAndKeys()
    {
        var x = SeededRandom.Derive(7, 1, 2).NextUInt64();
        Assert.Equal(x, SeededRandom.Derive(7, 1, 2).NextUInt64());
        Assert.NotEqual(x, SeededRandom.Derive(7, 2, 1).NextUInt64());
        Assert.NotEqual(x, SeededRandom.Derive(7, 1, 3).NextUInt64());
        Assert.NotEqual(x, SeededRandom.Derive(8, 1, 2).NextUInt64());
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndCoverIt()
    {
        var rng = new SeededRandom(1);
        var seen = new HashSet<int>();
        for (int i = 0; i < 10_000; i++)
        {
            int v = rng.NextInclusive(-3, 3);
            Assert.InRange(v, -3, 3);
            seen.Add(v);
            Assert.InRange(rng.NextDouble(), 0.0, 0.9999999999);
        }
        Assert.Equal(7, seen.Count);
    }

    [Fact]
    public void GaussiansHaveUnitVariance()
    {
        var rng = new SeededRandom(5);
        foreach (Func<double> draw in new Func<double>[] { rng.NextGaussian, rng.NextApproxGaussian })
        {
            var xs = Enumerable.Range(0, 200_000).Select(_ => draw()).ToArray();
            double mean = xs.Average(), var = xs.Select(x => (x - mean) * (x - mean)).Average();
            Assert.InRange(mean, -0.01, 0.01);
            Assert.InRange(var, 0.98, 1.02);
        }
    }
}
