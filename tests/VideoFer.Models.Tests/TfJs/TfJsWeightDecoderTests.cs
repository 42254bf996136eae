using System.Buffers.Binary;
using VideoFer.Models.TfJs;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Weight decoding against the manifest's arithmetic, written out by hand.</summary>
public class TfJsWeightDecoderTests
{
    static TfJsWeightSpec Spec(string dtype, int n, string? quantised = null, double? scale = null, double? min = null) =>
        new("w", [n], dtype, quantised == null ? null : new TfJsQuantization(quantised, scale, min));

    [Fact]
    public void Uint8IsQTimesScalePlusMin()
    {
        var values = (float[])TfJsWeightDecoder.Decode(Spec("float32", 4, "uint8", 0.5, -3), [0, 1, 128, 255]);
        Assert.Equal([-3f, -2.5f, 61f, 124.5f], values);
    }

    [Fact]
    public void Uint16IsLittleEndianQTimesScalePlusMin()
    {
        // 0x0000, 0xFFFF, 0x03E8 (1000) little-endian
        var values = (float[])TfJsWeightDecoder.Decode(Spec("float32", 3, "uint16", 0.001, -1), [0x00, 0x00, 0xFF, 0xFF, 0xE8, 0x03]);
        Assert.Equal([(float)(0 * 0.001 - 1), (float)(65535 * 0.001 - 1), (float)(1000 * 0.001 - 1)], values);
        Assert.Equal(0f, values[2], 6);
        Assert.Equal(64.535f, values[1], 3);
    }

    [Fact]
    public void Float16WidensExactly()
    {
        ushort[] bits = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555, 0x7C00, 0x8000];
        var bytes = new byte[2 * bits.Length];
        for (int i = 0; i < bits.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), bits[i]);
        var values = (float[])TfJsWeightDecoder.Decode(Spec("float32", bits.Length, "float16"), bytes);
        Assert.Equal([1f, -2f, 65504f, MathF.Pow(2, -24), 0.333251953125f, float.PositiveInfinity, -0f], values);
        Assert.True(float.IsNegative(values[6]));
    }

    [Fact]
    public void QuantisedInt32RoundsHalvesUpLikeJavaScript()
    {
        // q*scale+min = -1.5, -1, -0.5, 0, 0.5 -> Math.round: -1, -1, -0, 0, 1
        var values = (int[])TfJsWeightDecoder.Decode(Spec("int32", 5, "uint8", 0.5, -1.5), [0, 1, 2, 3, 4]);
        Assert.Equal([-1, -1, 0, 0, 1], values);
    }

    [Fact]
    public void PlainFloat32AndInt32AreLittleEndian()
    {
        var f = (float[])TfJsWeightDecoder.Decode(Spec("float32", 1), BitConverter.GetBytes(1.25f));
        Assert.Equal([1.25f], f);
        var i = (int[])TfJsWeightDecoder.Decode(Spec("int32", 2), [0x01, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Equal([1, -1], i);
    }

    [Fact]
    public void WrongByteCountAndUnknownQuantisationAreErrors()
    {
        var e1 = Assert.Throws<VideoFerException>(() => TfJsWeightDecoder.Decode(Spec("float32", 2), new byte[7]));
        Assert.Contains("7 bytes where its manifest entry needs 8", e1.Message);
        var e2 = Assert.Throws<VideoFerException>(() => TfJsWeightDecoder.Decode(Spec("float32", 1, "uint8"), [1]));
        Assert.Contains("without scale and min", e2.Message);
        var e3 = Assert.Throws<VideoFerException>(() => TfJsWeightDecoder.Decode(Spec("int32", 1, "float16"), [0, 0]));
        Assert.Contains("float16 quantisation applies to float32 weights only", e3.Message);
    }
}
