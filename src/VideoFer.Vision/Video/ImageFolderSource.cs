using OpenCvSharp;

namespace VideoFer.Vision.Video;

/// <summary>A folder of frame images (e.g. 00001.jpg, 00002.jpg, ...) played in natural name order,
/// so 2.jpg comes before 10.jpg. Frame numbers are positions in that order.</summary>
public sealed class ImageFolderSource : IFrameSource
{
    readonly string[] _files;

    public ImageFolderSource(string path, double fps = 25)
    {
        Path = path;
        Stem = MediaSource.StemOf(path);
        Fps = fps;
        if (!Directory.Exists(path))
            throw VideoFerException.InFile(path, "no such folder");
        try
        {
            _files = Directory.EnumerateFiles(path)
                .Where(f => MediaSource.IsImagePath(f))
                .OrderBy(f => System.IO.Path.GetFileName(f), NaturalStringComparer.Instance)
                .ToArray();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw VideoFerException.InFile(path, $"cannot read the folder: {e.Message}");
        }
        if (_files.Length == 0)
            throw VideoFerException.InFile(path, "the folder holds no images (.jpg, .png, .bmp, ...)");
        using var first = ImageFileSource.Load(_files[0]);
        Width = first.Width;
        Height = first.Height;
    }

    public string Path { get; }
    public string Stem { get; }
    public double Fps { get; }
    public int FrameCount => _files.Length;
    public int Width { get; }
    public int Height { get; }

    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < _files.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Mat image = ImageFileSource.Load(_files[i]);
            if (image.Width != Width || image.Height != Height)
            {
                // The frames of one video have one size: say which picture breaks it, before anything downstream fails.
                var (w, h) = (image.Width, image.Height);
                image.Dispose();
                throw VideoFerException.InFile(_files[i], $"is {w}x{h}, but the first frame of {Path} is {Width}x{Height}: the frames of a video " +
                                                          "have one size (without --frames, a folder of pictures of different sizes is read as photos)");
            }
            yield return new VideoFrame(i + 1, i / Fps, image);
        }
    }

    public void Dispose() { }
}
