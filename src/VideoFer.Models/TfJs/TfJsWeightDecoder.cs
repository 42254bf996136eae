using System.Buffers.Binary;

namespace VideoFer.Models.TfJs;

/// <summary>Turns the bytes of one manifest entry into values, as TF.js's weight loader does:
/// little-endian float32/int32/bool as stored; uint8/uint16 affine-quantised values as
/// q * scale + min (computed in double, then rounded to float32, or to the nearest integer
/// with halves upwards for int32 weights); float16 widened exactly to float32.</summary>
public static class TfJsWeightDecoder
{
    /// <summary>The values of <paramref name="spec"/>: a <c>float[]</c>, <c>int[]</c> or <c>bool[]</c>.</summary>
    public static Array Decode(TfJsWeightSpec spec, ReadOnlySpan<byte> bytes)
    {
        long expected = spec.ByteLength;
        if (bytes.Length != expected)
            throw new VideoFerException($"weight {spec.Name}: {bytes.Length} bytes where its manifest entry needs {expected}");
        int n = checked((int)spec.ElementCount);
        var q = spec.Quantization;
        if (q == null)
            return spec.DType switch
            {
                "float32" => ReadFloat32(bytes, n),
                "int32" => ReadInt32(bytes, n),
                "bool" => bytes.ToArray().Select(b => b != 0).ToArray(),
                var d => throw new VideoFerException($"weight {spec.Name}: unsupported dtype '{d}'"),
            };

        switch (q.DType)
        {
            case "uint8" or "uint16":
                if (q.Scale is not double scale || q.Min is not double min)
                    throw new VideoFerException($"weight {spec.Name}: {q.DType} quantisation without scale and min");
                if (spec.DType == "float32")
                {
                    var values = new float[n];
                    for (int i = 0; i < n; i++) values[i] = (float)(Quantised(bytes, q.DType, i) * scale + min);
                    return values;
                }
                if (spec.DType == "int32")
                {
                    var values = new int[n];
                    // JavaScript's Math.round: halves go towards +infinity.
                    for (int i = 0; i < n; i++) values[i] = (int)Math.Floor(Quantised(bytes, q.DType, i) * scale + min + 0.5);
                    return values;
                }
                throw new VideoFerException($"weight {spec.Name}: {q.DType} quantisation of a {spec.DType} weight is not supported");
            case "float16":
                if (spec.DType != "float32")
                    throw new VideoFerException($"weight {spec.Name}: float16 quantisation applies to float32 weights only, not {spec.DType}");
                var halves = new float[n];
                for (int i = 0; i < n; i++)
                    halves[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                return halves;
            default:
                throw new VideoFerException(
                    $"weight {spec.Name}: unknown quantisation dtype '{q.DType}' (expected uint8, uint16 or float16)");
        }
    }

    private static double Quantised(ReadOnlySpan<byte> bytes, string dtype, int i) =>
        dtype == "uint8" ? bytes[i] : BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);

    private static float[] ReadFloat32(ReadOnlySpan<byte> bytes, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        return values;
    }

    private static int[] ReadInt32(ReadOnlySpan<byte> bytes, int n)
    {
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
        return values;
    }
}
