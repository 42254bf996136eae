namespace VideoFer.TestSupport;

/// <summary>The repository the tests run from.</summary>
public static class Repo
{
    /// <summary>The folder holding VideoFer.slnx, found from the test binary upwards.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "VideoFer.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (VideoFer.slnx) not found above " + AppContext.BaseDirectory);
    }
}
