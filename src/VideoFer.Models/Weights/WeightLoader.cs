using TorchSharp;
using static TorchSharp.torch;

namespace VideoFer.Models.Weights;

/// <summary>What a load found: keys the module has and the file lacks, keys the file has and the module
/// lacks, and keys whose shapes differ.</summary>
public sealed record LoadReport(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<(string Key, long[] Expected, long[] Found)> Mismatched,
    int Loaded)
{
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>One line describing every problem (at most a few keys of each kind).</summary>
    public string Describe()
    {
        static string Few(IEnumerable<string> keys, int n)
        {
            var list = keys.ToList();
            return string.Join(", ", list.Take(n)) + (list.Count > n ? $", ... ({list.Count} in all)" : "");
        }
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"missing keys: {Few(Missing, 4)}");
        if (Unexpected.Count > 0) parts.Add($"unexpected keys: {Few(Unexpected, 4)}");
        if (Mismatched.Count > 0)
            parts.Add("mis-shaped keys: " + Few(Mismatched.Select(m =>
                $"{m.Key} (model [{string.Join("x", m.Expected)}], file [{string.Join("x", m.Found)}])"), 3));
        return string.Join("; ", parts);
    }
}

/// <summary>Copies a state_dict into a module, PyTorch's <c>load_state_dict</c> with a readable report.</summary>
public static class WeightLoader
{
    /// <summary>Loads <paramref name="stateDict"/> into <paramref name="module"/>. Keys are matched after
    /// optionally prepending <paramref name="prefix"/> to the file's keys (e.g. "backbone.") and dropping
    /// file keys that start with any of <paramref name="ignore"/> (e.g. "fc." of an ImageNet classifier).
    /// With <paramref name="strict"/>, any missing, unexpected or mis-shaped key throws a
    /// <see cref="VideoFerException"/> naming <paramref name="source"/> and copies nothing.</summary>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source,
        bool strict = true, string prefix = "", IEnumerable<string>? ignore = null, Func<string, bool>? onlyModuleKeys = null)
    {
        var ignored = (ignore ?? []).ToArray();
        var target = module.state_dict()
            .Where(kv => onlyModuleKeys is null || onlyModuleKeys(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var incoming = stateDict
            .Where(kv => !ignored.Any(i => kv.Key.StartsWith(i, StringComparison.Ordinal)))
            .ToDictionary(kv => prefix + kv.Key, kv => kv.Value, StringComparer.Ordinal);

        var missing = target.Keys.Where(k => !incoming.ContainsKey(k)).ToList();
        var unexpected = incoming.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var mismatched = new List<(string, long[], long[])>();
        foreach (var (key, dst) in target)
            if (incoming.TryGetValue(key, out var src) && !dst.shape.SequenceEqual(src.shape) &&
                !(dst.numel() == 1 && src.numel() == 1)) // scalars such as num_batches_tracked
                mismatched.Add((key, dst.shape, src.shape));

        var report = new LoadReport(missing, unexpected, mismatched, 0);
        if (strict && !report.IsExact)
            throw VideoFerException.InFile(source, $"weights do not fit {DescribeModule(module)}: {report.Describe()}");

        int loaded = 0;
        using (no_grad())
        {
            foreach (var (key, dst) in target)
            {
                if (!incoming.TryGetValue(key, out var src) || mismatched.Any(m => m.Item1 == key)) continue;
                using var converted = src.to(dst.dtype, dst.device).reshape(dst.shape);
                dst.copy_(converted);
                loaded++;
            }
        }
        return report with { Loaded = loaded };
    }

    static string DescribeModule(nn.Module module) => module switch
    {
        ExpressionNetwork n => $"the {n.Config.Arch} {n.Kind.ToString().ToLowerInvariant()} model ({n.Config.Classes} classes)",
        Backbones.ResNet r => $"a {r.Spec.Name} backbone",
        _ => module.GetName(),
    };
}
