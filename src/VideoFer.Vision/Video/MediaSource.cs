namespace VideoFer.Vision.Video;

/// <summary>Opens whatever the user named (named apart from OpenCvSharp.FrameSource): a folder of frames, a single image, or a video file.</summary>
public static class MediaSource
{
    static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".jp2", ".pbm", ".pgm", ".ppm",
    };

    /// <summary>The name outputs of <paramref name="path"/> are called after: a folder's name, or a file's
    /// name without its extension, made one safe file name (never "", "..", hidden or holding a "/";
    /// see <see cref="VideoFer.IO.SafeName"/>) whatever the input is called.</summary>
    public static string StemOf(string path) => VideoFer.IO.SafeName.Of(
        Directory.Exists(path) ? new DirectoryInfo(path).Name : Path.GetFileNameWithoutExtension(path));

    /// <summary>True when the name's extension is a still-image format.</summary>
    public static bool IsImagePath(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>Opens <paramref name="path"/>; throws <see cref="VideoFerException"/> naming it if it
    /// does not exist or cannot be read. <paramref name="assumedFps"/> timestamps image folders.</summary>
    public static IFrameSource Open(string path, double assumedFps = 25)
    {
        if (Directory.Exists(path)) return new ImageFolderSource(path, assumedFps);
        if (!File.Exists(path)) throw VideoFerException.InFile(path, "no such file or folder");
        return IsImagePath(path) ? new ImageFileSource(path, assumedFps) : new VideoFileSource(path);
    }
}
