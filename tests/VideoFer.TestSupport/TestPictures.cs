using System.Buffers.Binary;
using System.IO.Compression;

namespace VideoFer.TestSupport;

/// <summary>Pictures made for a test where no real file has the property under test: a PNG of a huge
/// size in a small file (a decompression bomb), written byte by byte.</summary>
public static class TestPictures
{
    /// <summary>A black 1-bit greyscale PNG: signature, IHDR, one zlib-compressed IDAT of all-zero rows, IEND.</summary>
    public static string BlackPng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]); // the PNG signature
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
        WriteChunk(file, "IHDR", header);
        var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8]; // filter byte "none", then the bits
            for (int y = 0; y < height; y++) zlib.Write(row);
        }
        WriteChunk(file, "IDAT", pixels.ToArray());
        WriteChunk(file, "IEND", []);
        return path;
    }

    static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        file.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        file.Write(word);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320) over type and data.</summary>
    static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
