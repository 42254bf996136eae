using System.CommandLine;
using VideoFer.Sharding;

namespace VideoFer.Cli;

/// <summary>Options that several commands take with one meaning (each command gets its own instance,
/// as System.CommandLine options belong to one command).</summary>
public static class SharedOptions
{
    /// <summary>`--shard i/n`, read from a scheduler's environment when absent (see <see cref="ShardSpec.Resolve"/>).</summary>
    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Process only share i of n (1-based), e.g. 2/4, split by a hash of each input's name. " +
                      $"Without it, a Slurm array task ({ShardSpec.SlurmTaskId}, {ShardSpec.SlurmTaskCount}) or a Kubernetes Indexed Job pod " +
                      $"({ShardSpec.KubernetesIndex} with {ShardSpec.CountVariable}) takes its share; --shard 1/1 takes all.",
    };
}
