namespace VideoFer.Vision.Video;

/// <summary>A stream of frames: a video file, a folder of frame images, or one image.
/// Frames are decoded one at a time so memory stays bounded whatever the length.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The file or folder the frames come from (used in messages).</summary>
    string Path { get; }

    /// <summary>Name used for outputs: the file name without extension, or the folder name.</summary>
    string Stem { get; }

    /// <summary>Frames per second (declared by the container, or assumed for image folders).</summary>
    double Fps { get; }

    /// <summary>Number of frames the source declares; video containers may be off by one or two.</summary>
    int FrameCount { get; }

    int Width { get; }
    int Height { get; }

    /// <summary>Decodes the frames in order. Each yielded frame must be disposed by the caller;
    /// enumerating again restarts from the first frame. Throws <see cref="VideoFerException"/>
    /// naming the file when the source turns out to be unreadable or truncated.</summary>
    IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default);
}
