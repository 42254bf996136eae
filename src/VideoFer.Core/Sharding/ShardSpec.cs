using System.Text;

namespace VideoFer.Sharding;

/// <summary>`--shard i/n`: machine i of n (1-based) takes the inputs whose name hashes to i. The hash
/// (FNV-1a of the name's UTF-8 bytes) depends only on the name, so every machine agrees on the split
/// even if their input lists differ in order or content, and the n shards never overlap. One
/// implementation for every command that shards (prepare, predict over a corpus).</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>Set by Slurm in every task of a job array (`sbatch --array=1-N`).</summary>
    public const string SlurmTaskId = "SLURM_ARRAY_TASK_ID";
    /// <summary>Set by Slurm: how many tasks the array has, and its lowest id.</summary>
    public const string SlurmTaskCount = "SLURM_ARRAY_TASK_COUNT", SlurmTaskMin = "SLURM_ARRAY_TASK_MIN";
    /// <summary>Set by Kubernetes in every pod of an Indexed Job: 0 .. completions-1.</summary>
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";
    /// <summary>The number of shards, for schedulers that do not say it (a Kubernetes Indexed Job does
    /// not put its completions into the pod's environment); it also overrides Slurm's count.</summary>
    public const string CountVariable = "VIDEOFER_SHARD_COUNT";

    public static ShardSpec All => new(1, 1);

    /// <summary>Parses "i/n" with 1 &lt;= i &lt;= n; throws <see cref="VideoFerException"/> otherwise.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n)
            return new ShardSpec(i, n);
        throw new VideoFerException($"--shard {text}: expected i/n with 1 <= i <= n, e.g. 1/4");
    }

    /// <summary>The shard a process is: <paramref name="option"/> (`--shard i/n`) when given, else the one a
    /// scheduler says through <paramref name="environment"/> (a Slurm job array's task, a Kubernetes
    /// Indexed Job's pod), else all inputs. <see cref="Source"/> says where it came from, for the log.</summary>
    public static (ShardSpec Shard, string Source) Resolve(string? option, Func<string, string?> environment)
    {
        if (option != null) return (Parse(option), "--shard");
        string? Get(string name) => environment(name) is { Length: > 0 } v ? v.Trim() : null;
        int? countOverride = Get(CountVariable) is { } c ? Number(CountVariable, c, min: 1) : null;
        if (Get(SlurmTaskId) is { } slurmId)
        {
            // The array may be numbered from 0 or 1 (--array=0-3 or 1-4): the shard is the task's place in it.
            int id = Number(SlurmTaskId, slurmId, min: 0);
            int min = Get(SlurmTaskMin) is { } m ? Number(SlurmTaskMin, m, min: 0) : 1;
            int count = countOverride ?? (Get(SlurmTaskCount) is { } n ? Number(SlurmTaskCount, n, min: 1)
                : throw new VideoFerException($"{SlurmTaskId}={id} is set but {SlurmTaskCount} is not; set {CountVariable} or pass --shard i/n"));
            return (Checked(id - min + 1, count, $"{SlurmTaskId}={id} ({SlurmTaskMin}={min}, {(countOverride != null ? CountVariable : SlurmTaskCount)}={count})"),
                    $"Slurm array task {id}");
        }
        if (Get(KubernetesIndex) is { } k8sIndex)
        {
            int index = Number(KubernetesIndex, k8sIndex, min: 0);
            int count = countOverride ?? throw new VideoFerException(
                $"{KubernetesIndex}={index} is set but {CountVariable} is not: set it to the Job's completions (deploy/k8s/ does) or pass --shard i/n");
            return (Checked(index + 1, count, $"{KubernetesIndex}={index} ({CountVariable}={count})"), $"Kubernetes completion index {index}");
        }
        return (All, "all inputs");
    }

    static int Number(string variable, string text, int min) =>
        int.TryParse(text, out int v) && v >= min ? v
            : throw new VideoFerException($"{variable}={text}: expected a whole number of at least {min}");

    static ShardSpec Checked(int index, int count, string from) =>
        index >= 1 && index <= count ? new ShardSpec(index, count)
            : throw new VideoFerException($"{from}: this task is not one of the {count} shards; pass --shard i/n");

    public bool Contains(string name) => Count <= 1 || (int)(Hash(name) % (uint)Count) == Index - 1;

    internal static uint Hash(string name)
    {
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(name)) { h ^= b; h *= 16777619; }
        return h;
    }

    public override string ToString() => $"{Index}/{Count}";
}
