using VideoFer.Formats;
using OpenCvSharp;

namespace VideoFer.Vision.Video;

/// <summary>Frames of a video file decoded by OpenCV's FFmpeg backend, streamed one at a time.</summary>
public sealed class VideoFileSource : IFrameSource
{
    /// <summary>Opens the file and reads its properties; throws <see cref="VideoFerException"/> if it is
    /// missing, empty, not a video FFmpeg can decode, or its frames are over <see cref="FrameSize.MaxPixels"/>.</summary>
    public VideoFileSource(string path)
    {
        Path = path;
        Stem = MediaSource.StemOf(path);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw VideoFerException.InFile(path, "no such file");
        if (info.Length == 0)
            throw VideoFerException.InFile(path, "the file is empty (0 bytes to read: if it is a pipe, a socket or a device, it cannot be read as a video)");

        using var capture = Open();
        Fps = capture.Fps;
        FrameCount = Math.Max(0, capture.FrameCount);
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
        if (Width <= 0 || Height <= 0)
            throw VideoFerException.InFile(path, "not a readable video (no video stream)");
        FrameSize.Check(path, Width, Height); // before any frame is decoded
        // FFmpeg reports no rate for some streams; 0 would break timestamps.
        if (!(Fps > 0 && Fps < 1000)) Fps = 25;
    }

    public string Path { get; }
    public string Stem { get; }
    public double Fps { get; }
    public int FrameCount { get; }
    public int Width { get; }
    public int Height { get; }

    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        using var capture = Open();
        int index = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = new Mat();
            bool ok;
            try { ok = capture.Read(image) && !image.Empty(); }
            catch (OpenCVException e)
            {
                image.Dispose();
                throw VideoFerException.InFile(Path, $"could not decode frame {index + 1}: {e.Message}");
            }
            if (!ok)
            {
                image.Dispose();
                break;
            }
            index++;
            // Time from the frame number: Aff-Wild2 labels frames by number, and the container's
            // clock (CAP_PROP_POS_MSEC) already points past the frame just read.
            yield return new VideoFrame(index, (index - 1) / Fps, image);
        }

        if (index == 0)
            throw VideoFerException.InFile(Path, "not a readable video (no frame could be decoded)");
        if (IsTruncated(index, FrameCount))
            throw VideoFerException.InFile(Path,
                $"truncated or damaged video: decoded {index} of the {FrameCount} frames it declares");
    }

    /// <summary>OpenCV's frame count can be off by one or two (ABAW organisers allowed +-1), so only a
    /// clear shortfall counts as truncation.</summary>
    internal static bool IsTruncated(int decoded, int declared) =>
        declared > 0 && decoded < declared - Math.Max(2, declared / 100);

    VideoCapture Open()
    {
        FfmpegLog.SilenceOnce();
        VideoCapture capture;
        try { capture = new VideoCapture(Path, VideoCaptureAPIs.FFMPEG); }
        catch (OpenCVException e) { throw VideoFerException.InFile(Path, $"not a readable video: {e.Message}"); }
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw VideoFerException.InFile(Path, "not a readable video (FFmpeg could not open it)");
        }
        return capture;
    }

    public void Dispose() { }
}
