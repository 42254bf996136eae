using VideoFer.Formats;
using OpenCvSharp;

namespace VideoFer.Vision.Video;

/// <summary>A single picture seen as a one-frame video.</summary>
public sealed class ImageFileSource : IFrameSource
{
    public ImageFileSource(string path, double fps = 25)
    {
        Path = path;
        Stem = MediaSource.StemOf(path);
        Fps = fps;
        // The size from the header where the format has one (PNG, JPEG, BMP): a photo is then decoded once, when
        // its frame is read; other formats are decoded here for it.
        if (!File.Exists(path)) throw VideoFerException.InFile(path, "no such file");
        if (new FileInfo(path).Length > 0 && FrameSize.ReadHeader(path) is var (w, h) && w > 0 && h > 0 && w * h <= FrameSize.MaxPixels)
        {
            Width = (int)w;
            Height = (int)h;
            return;
        }
        using var image = Load(path);
        Width = image.Width;
        Height = image.Height;
    }

    public string Path { get; }
    public string Stem { get; }
    public double Fps { get; }
    public int FrameCount => 1;
    public int Width { get; }
    public int Height { get; }

    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        yield return new VideoFrame(1, 0, Load(Path));
    }

    /// <summary>Reads a picture as 8-bit BGR, or throws <see cref="VideoFerException"/> naming it; a
    /// picture over <see cref="FrameSize.MaxPixels"/> is refused.</summary>
    internal static Mat Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw VideoFerException.InFile(path, "no such file");
        if (info.Length == 0)
            throw VideoFerException.InFile(path, "the file is empty (0 bytes to read: if it is a pipe, a socket or a device, it cannot be read as a picture)");
        FrameSize.CheckHeader(path);
        Mat image;
        try { image = Cv2.ImRead(path, ImreadModes.Color); }
        catch (OpenCVException e) { throw VideoFerException.InFile(path, $"not a readable image: {e.Message}"); }
        if (image.Empty())
        {
            image.Dispose();
            throw VideoFerException.InFile(path, "not a readable image (damaged or unsupported format)");
        }
        // Formats without a header check (TIFF, WebP, ...) are held to the same limit once decoded.
        try { FrameSize.Check(path, image.Width, image.Height); }
        catch { image.Dispose(); throw; }
        return image;
    }

    public void Dispose() { }
}
