using VideoFer.Sharding;

namespace VideoFer.Core.Tests.Sharding;

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

    static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_option_wins_over_the_environment()
    {
        var (shard, source) = ShardSpec.Resolve("2/5", Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")));
        Assert.Equal(new ShardSpec(2, 5), shard);
        Assert.Equal("--shard", source);
    }

    [Fact]
    public void Without_option_or_scheduler_every_input_is_taken() =>
        Assert.Equal(ShardSpec.All, ShardSpec.Resolve(null, Env()).Shard);

    [Theory]
    [InlineData("1", "1", "4", 1)]   // sbatch --array=1-4
    [InlineData("4", "1", "4", 4)]
    [InlineData("0", "0", "4", 1)]   // sbatch --array=0-3
    [InlineData("3", "0", "4", 4)]
    [InlineData("2", null, "4", 2)]  // no MIN: numbered from 1
    public void A_slurm_array_task_is_its_place_in_the_array(string id, string? min, string count, int expected)
    {
        var vars = new List<(string, string)> { ("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_COUNT", count) };
        if (min != null) vars.Add(("SLURM_ARRAY_TASK_MIN", min));
        Assert.Equal(new ShardSpec(expected, 4), ShardSpec.Resolve(null, Env([.. vars])).Shard);
    }

    [Fact]
    public void A_kubernetes_index_is_zero_based_and_needs_the_count()
    {
        Assert.Equal(new ShardSpec(1, 3), ShardSpec.Resolve(null, Env(("JOB_COMPLETION_INDEX", "0"), ("VIDEOFER_SHARD_COUNT", "3"))).Shard);
        Assert.Equal(new ShardSpec(3, 3), ShardSpec.Resolve(null, Env(("JOB_COMPLETION_INDEX", "2"), ("VIDEOFER_SHARD_COUNT", "3"))).Shard);
        var e = Assert.Throws<VideoFerException>(() => ShardSpec.Resolve(null, Env(("JOB_COMPLETION_INDEX", "2"))));
        Assert.Contains("VIDEOFER_SHARD_COUNT", e.Message);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "3", "3")]   // index past the count
    [InlineData("JOB_COMPLETION_INDEX", "x", "3")]
    [InlineData("JOB_COMPLETION_INDEX", "-1", "3")]
    [InlineData("JOB_COMPLETION_INDEX", "0", "0")]
    [InlineData("SLURM_ARRAY_TASK_ID", "5", "4")]
    public void Bad_scheduler_variables_are_one_clear_message(string variable, string value, string count)
    {
        var e = Assert.Throws<VideoFerException>(() => ShardSpec.Resolve(null, Env((variable, value), ("VIDEOFER_SHARD_COUNT", count))));
        Assert.Contains(count == "0" ? "VIDEOFER_SHARD_COUNT=0" : $"{variable}={value}", e.Message);
    }
}
