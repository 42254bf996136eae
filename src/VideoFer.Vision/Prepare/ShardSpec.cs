using System.Text;

namespace VideoFer.Vision.Prepare;

/// <summary>`--shard i/n`: machine i of n (1-based) takes the inputs whose stem hashes to i. The hash
/// (FNV-1a of the stem's UTF-8 bytes) depends only on the name, so every machine agrees on the split
/// even if their input lists differ in order or content, and the n shards never overlap.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static ShardSpec All => new(1, 1);

    /// <summary>Parses "i/n" with 1 &lt;= i &lt;= n; throws <see cref="VideoFerException"/> otherwise.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n)
            return new ShardSpec(i, n);
        throw new VideoFerException($"--shard {text}: expected i/n with 1 <= i <= n, e.g. 1/4");
    }

    public bool Contains(string stem) => Count <= 1 || (int)(Hash(stem) % (uint)Count) == Index - 1;

    internal static uint Hash(string stem)
    {
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(stem)) { h ^= b; h *= 16777619; }
        return h;
    }

    public override string ToString() => $"{Index}/{Count}";
}
