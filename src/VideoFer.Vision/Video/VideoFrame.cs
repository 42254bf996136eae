using OpenCvSharp;

namespace VideoFer.Vision.Video;

/// <summary>One decoded frame. <see cref="Index"/> is 1-based, as in Aff-Wild2 file names;
/// <see cref="Time"/> is in seconds from the start. The frame owns its BGR image: dispose it.</summary>
public sealed class VideoFrame : IDisposable
{
    public VideoFrame(int index, double time, Mat image)
    {
        Index = index;
        Time = time;
        Image = image;
    }

    /// <summary>1-based frame number.</summary>
    public int Index { get; }

    /// <summary>Seconds from the start of the source.</summary>
    public double Time { get; }

    /// <summary>8-bit BGR image, 3 channels.</summary>
    public Mat Image { get; }

    public void Dispose() => Image.Dispose();
}
