using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using OpenCvSharp;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Video;

/// <summary>Defect 9: a 30000x30000 PNG of under 1 MB took 5.5 GB to decode. Pictures over
/// <see cref="FrameSize.MaxPixels"/> are refused from their header, before decoding.</summary>
public class FrameSizeTests(ITestOutputHelper output) : TempFolderTest
{
    /// <summary>The header reader agrees with OpenCV's decoder on real JPEGs and a PNG, and on a BMP written by OpenCV.</summary>
    [Fact]
    public void Headers_give_the_decoded_size()
    {
        var folder = dir;
        string bmp = System.IO.Path.Combine(folder, "messi5.bmp");
        using (var messi = Cv2.ImRead(TestMedia.Messi)) Cv2.ImWrite(bmp, messi);
        foreach (var path in new[] { TestMedia.Messi, TestMedia.Board, TestMedia.Chessboard, bmp })
        {
            using var decoded = Cv2.ImRead(path, ImreadModes.Unchanged);
            Assert.Equal(((long)decoded.Width, (long)decoded.Height), FrameSize.ReadHeader(path));
        }
        Assert.Null(FrameSize.ReadHeader(TestMedia.Megamind)); // not a picture
    }

    [Fact]
    public void A_30000_pixel_square_png_of_a_few_hundred_KB_is_refused_before_decoding()
    {
        var folder = dir;
        // The writer is right: OpenCV decodes a small picture it made.
        string small = WriteBlackPng(System.IO.Path.Combine(folder, "small.png"), 300, 200);
        using (var decoded = Cv2.ImRead(small)) Assert.Equal(new Size(300, 200), decoded.Size());

        string huge = WriteBlackPng(System.IO.Path.Combine(folder, "huge.png"), 30000, 30000);
        long bytes = new FileInfo(huge).Length;
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<VideoFerException>(() => new ImageFileSource(huge));
        output.WriteLine($"{bytes / 1024} KB file refused in {clock.Elapsed.TotalMilliseconds:0} ms: {e.Message}");
        Assert.Equal($"{huge}: 30000x30000 pixels is over the limit of 100 megapixels per image or frame; scale it down first", e.Message);
        Assert.True(bytes < 1 << 20, $"{bytes} bytes");
        // Refused from the header (the time is printed, not asserted: timing targets live in benchmarks).
        Assert.Throws<VideoFerException>(() => MediaSource.Open(huge));
    }

    /// <summary>A black 1-bit greyscale PNG: signature, IHDR, one zlib-compressed IDAT of all-zero rows, IEND.</summary>
    static string WriteBlackPng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write(FrameSize.PngSignature);
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
