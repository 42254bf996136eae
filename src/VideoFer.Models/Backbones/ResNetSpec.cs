namespace VideoFer.Models.Backbones;

/// <summary>A ResNet architecture by name: depth (18, 34, 50, 101, 152) and whether CBAM is in every block.
/// Names are <c>resnet{depth}</c> or <c>resnet{depth}-cbam</c>.</summary>
public sealed record ResNetSpec(int Depth, bool Cbam)
{
    /// <summary>Blocks per stage, as in He et al. (2016), Table 1.</summary>
    public int[] Layers => Depth switch
    {
        18 => [2, 2, 2, 2],
        34 => [3, 4, 6, 3],
        50 => [3, 4, 6, 3],
        101 => [3, 4, 23, 3],
        152 => [3, 8, 36, 3],
        _ => throw new InvalidOperationException($"unsupported depth {Depth}"),
    };

    /// <summary>ResNet-50 and deeper use bottleneck blocks.</summary>
    public bool Bottleneck => Depth >= 50;

    public string Name => Cbam ? $"resnet{Depth}-cbam" : $"resnet{Depth}";

    public override string ToString() => Name;

    public static IReadOnlyList<string> KnownNames { get; } =
        new[] { 18, 34, 50, 101, 152 }.SelectMany(d => new[] { $"resnet{d}", $"resnet{d}-cbam" }).ToArray();

    /// <summary>Parses an architecture name; a clear <see cref="VideoFerException"/> lists the valid ones.</summary>
    public static ResNetSpec Parse(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        bool cbam = n.EndsWith("-cbam");
        string depthText = (cbam ? n[..^5] : n).Replace("resnet", "");
        if (n.StartsWith("resnet") && int.TryParse(depthText, out int depth) && depth is 18 or 34 or 50 or 101 or 152)
            return new ResNetSpec(depth, cbam);
        throw new VideoFerException($"unknown architecture '{name}': expected one of {string.Join(", ", KnownNames)}.");
    }
}
