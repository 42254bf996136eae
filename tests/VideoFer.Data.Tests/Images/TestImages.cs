using System.Runtime.InteropServices;
using OpenCvSharp;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Tests.Images;

/// <summary>Known images written losslessly (PNG), with their pixels kept for independent checks.</summary>
internal static class TestImages
{
    /// <summary>A size x size BGR image of seeded random bytes; returns the bytes (row-major, BGR).</summary>
    public static byte[] WriteRandom(string path, int size, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var bytes = new byte[size * size * 3];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)rng.Next(256);
        Write(path, size, bytes);
        return bytes;
    }

    /// <summary>An image whose pixel (x, y) is B = x, G = y, R = 200, so positions can be read back from values.</summary>
    public static void WriteCoordinates(string path, int size)
    {
        var bytes = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = 3 * (y * size + x);
                bytes[i] = (byte)x;
                bytes[i + 1] = (byte)y;
                bytes[i + 2] = 200;
            }
        Write(path, size, bytes);
    }

    public static void WriteUniform(string path, int size, byte b, byte g, byte r)
    {
        var bytes = new byte[size * size * 3];
        for (int i = 0; i < bytes.Length; i += 3) { bytes[i] = b; bytes[i + 1] = g; bytes[i + 2] = r; }
        Write(path, size, bytes);
    }

    static void Write(string path, int size, byte[] bytes)
    {
        using var mat = new Mat(size, size, MatType.CV_8UC3);
        Marshal.Copy(bytes, 0, mat.Data, bytes.Length);
        Assert.True(Cv2.ImWrite(path, mat));
    }

    /// <summary>Inverse of ImageNet normalisation for channel c (0 = R), back to 0..255.</summary>
    public static double ToByteValue(float v, int c) =>
        (v * VideoFer.Data.Images.ImageNet.Std[c] + VideoFer.Data.Images.ImageNet.Mean[c]) * 255;
}
