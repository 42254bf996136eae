namespace VideoFer.Models.TfJs;

/// <summary>How a weight is stored quantised in a TF.js weights file: <c>uint8</c> or <c>uint16</c>
/// affine (value = q * <see cref="Scale"/> + <see cref="Min"/>), or <c>float16</c> (no scale, no min).</summary>
public sealed record TfJsQuantization(string DType, double? Scale, double? Min);

/// <summary>One entry of a weights manifest: a tensor's name, shape and dtype, and its quantisation if any.
/// Entries of a group lie back to back, in manifest order, in the concatenation of the group's shards.</summary>
public sealed record TfJsWeightSpec(string Name, long[] Shape, string DType, TfJsQuantization? Quantization)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes the weight takes in the shard data.</summary>
    public long ByteLength => ElementCount * (Quantization?.DType ?? DType) switch
    {
        "float32" or "int32" => 4,
        "uint16" or "float16" => 2,
        "uint8" or "bool" => 1,
        var other => throw new VideoFerException($"weight {Name}: unsupported stored dtype '{other}'"),
    };
}
