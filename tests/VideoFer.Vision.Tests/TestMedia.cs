using System.Diagnostics;

namespace VideoFer.Vision.Tests;

/// <summary>Real pictures and video from Debian's opencv-doc, fetched on first use by
/// scripts/fetch-test-media.sh into tests/fixtures/media (gitignored).</summary>
public static class TestMedia
{
    static readonly Lazy<string> Folder = new(Fetch, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepoRoot { get; } = FindRoot();

    public static string Path(string name) => System.IO.Path.Combine(Folder.Value, name);

    public static string Megamind => Path("Megamind.avi");
    public static string Messi => Path("messi5.jpg");
    public static string Chessboard => Path("chessboard.png");
    public static string Board => Path("board.jpg");

    /// <summary>A 1280x720 scene without people with Messi's face pasted at 96 px (a 48-pixel face box),
    /// which only the detector's tiles find; <paramref name="shift"/> moves it right.</summary>
    public static OpenCvSharp.Mat SmallFaceScene(int shift = 0)
    {
        using var messi = OpenCvSharp.Cv2.ImRead(Messi);
        using var board = OpenCvSharp.Cv2.ImRead(Board);
        using var patch = new OpenCvSharp.Mat(messi, new OpenCvSharp.Rect(206, 76, 68, 68));
        using var small = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(patch, small, new OpenCvSharp.Size(96, 96), 0, 0, OpenCvSharp.InterpolationFlags.Area);
        var canvas = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(board, canvas, new OpenCvSharp.Size(1280, 720));
        using (var roi = new OpenCvSharp.Mat(canvas, new OpenCvSharp.Rect(500 + shift, 300, 96, 96))) small.CopyTo(roi);
        return canvas;
    }

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string TempFolder()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "videofer-vision-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    static string Fetch()
    {
        var folder = System.IO.Path.Combine(RepoRoot, "tests", "fixtures", "media");
        var psi = new ProcessStartInfo("bash", System.IO.Path.Combine(RepoRoot, "scripts", "fetch-test-media.sh"))
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"scripts/fetch-test-media.sh failed ({p.ExitCode}): {err}");
        return folder;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "VideoFer.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (VideoFer.slnx) not found above " + AppContext.BaseDirectory);
    }
}
