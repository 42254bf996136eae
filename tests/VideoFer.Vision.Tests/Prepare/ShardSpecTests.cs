using VideoFer.Vision.Prepare;

namespace VideoFer.Vision.Tests.Prepare;

public class ShardSpecTests
{
    static readonly string[] Stems = Enumerable.Range(1, 300).Select(i => $"{i}-30-1280x720").Append("video10_1").ToArray();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_partition_the_inputs(int n)
    {
        var shards = Enumerable.Range(1, n).Select(i => Stems.Where(new ShardSpec(i, n).Contains).ToList()).ToList();
        Assert.Equal(Stems.Length, shards.Sum(s => s.Count));
        Assert.Equal(Stems.Order(), shards.SelectMany(s => s).Order());
        Assert.All(shards, s => Assert.InRange(s.Count, Stems.Length / n / 2, Stems.Length * 2 / n)); // roughly balanced
    }

    [Fact]
    public void Membership_depends_only_on_the_stem()
    {
        var spec = ShardSpec.Parse("2/3");
        Assert.Equal(new ShardSpec(2, 3), spec);
        Assert.Equal(Stems.Where(spec.Contains), Stems.Reverse().Where(spec.Contains).Reverse());
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    public void Bad_shards_are_rejected(string text) =>
        Assert.Contains(text, Assert.Throws<VideoFerException>(() => ShardSpec.Parse(text)).Message);
}
