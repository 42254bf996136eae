namespace VideoFer.TestSupport;

/// <summary>What a folder holds, as a test compares it: every file and folder below it (hidden ones
/// too), as paths relative to it, in ordinal order.</summary>
public static class FolderTree
{
    public static string[] Of(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToArray();
}
