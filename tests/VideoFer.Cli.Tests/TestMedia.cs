using System.Diagnostics;

namespace VideoFer.Cli.Tests;

/// <summary>Real sample media from Debian's opencv-doc (tests/fixtures/media), extracted on first use
/// by scripts/fetch-test-media.sh.</summary>
public static class TestMedia
{
    static readonly Lazy<string> Folder = new(() =>
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "VideoFer.slnx"))) root = Path.GetDirectoryName(root)!;
        using var p = Process.Start("bash", Path.Combine(root, "scripts", "fetch-test-media.sh"));
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return Path.Combine(root, "tests", "fixtures", "media");
    });

    public static string Path_(string name) => Path.Combine(Folder.Value, name);
}
