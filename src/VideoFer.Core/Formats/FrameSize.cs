namespace VideoFer.Formats;

/// <summary>The largest image or video frame VideoFer decodes, and the picture-header reader that lets it
/// refuse a larger picture before decoding it.</summary>
public static class FrameSize
{
    /// <summary>100 megapixels (300 MB as 8-bit BGR), above any camera or 8K video (33 MP). A PNG of
    /// 30000x30000 pixels fits in under 1 MB and took 5.5 GB to decode.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Throws <see cref="VideoFerException"/> naming <paramref name="path"/> when the size is over <see cref="MaxPixels"/>.</summary>
    public static void Check(string path, long width, long height)
    {
        if (width * height > MaxPixels)
            throw VideoFerException.InFile(path,
                $"{width}x{height} pixels is over the limit of {MaxPixels / 1_000_000} megapixels per image or frame; scale it down first");
    }

    /// <summary>Refuses a PNG, JPEG or BMP picture over the limit from its header alone. OpenCV has no
    /// header-only read (ImRead decodes the whole picture, at any reduced mode too), and SkiaSharp's
    /// codec would add a native library to read a few bytes; other formats are checked after decoding.</summary>
    public static void CheckHeader(string path)
    {
        if (ReadHeader(path) is var (width, height)) Check(path, width, height);
    }

    /// <summary>Width and height from a PNG, JPEG or BMP header; null for another format or a header
    /// that does not parse (the decoder then has its say).</summary>
    public static (long Width, long Height)? ReadHeader(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        Span<byte> head = stackalloc byte[26];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        // PNG: the 8-byte signature, then the IHDR chunk (length, "IHDR", width, height, big-endian).
        if (read >= 24 && head[..8].SequenceEqual(PngSignature) && head[12..16].SequenceEqual("IHDR"u8))
            return (BigEndian(head[16..20]), BigEndian(head[20..24]));
        // BMP: "BM", width and height as little-endian int32 at 18 and 22 (height < 0: stored top-down).
        if (read >= 26 && head[0] == 'B' && head[1] == 'M')
            return (Math.Abs((long)BitConverter.ToInt32(head[18..22])), Math.Abs((long)BitConverter.ToInt32(head[22..26])));
        if (read >= 2 && head[0] == 0xFF && head[1] == 0xD8)
            return JpegSize(file);
        return null;
    }

    static long BigEndian(ReadOnlySpan<byte> b) => b.Length == 4
        ? (long)b[0] << 24 | (long)b[1] << 16 | (long)b[2] << 8 | b[3]
        : b[0] << 8 | b[1];

    /// <summary>Walks the JPEG's marker segments up to the frame header (SOF0..SOF15 but DHT, JPG and DAC),
    /// which holds precision, height and width; EXIF and other segments before it are skipped by length.</summary>
    static (long Width, long Height)? JpegSize(FileStream file)
    {
        file.Position = 2;
        Span<byte> segment = stackalloc byte[7];
        while (true)
        {
            int b = file.ReadByte();
            if (b != 0xFF) return null;
            int marker;
            do marker = file.ReadByte(); while (marker == 0xFF); // fill bytes
            if (marker < 0 || marker == 0xD9 || marker == 0xDA) return null; // end of image, or scan data before any frame header
            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD7) continue; // markers without a length
            if (file.ReadAtLeast(segment[..2], 2, throwOnEndOfStream: false) < 2) return null;
            long length = BigEndian(segment[..2]);
            if (length < 2) return null;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (file.ReadAtLeast(segment[2..7], 5, throwOnEndOfStream: false) < 5) return null;
                return (BigEndian(segment[5..7]), BigEndian(segment[3..5]));
            }
            file.Seek(length - 2, SeekOrigin.Current);
        }
    }
}
