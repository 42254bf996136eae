namespace VideoFer.Datasets;

/// <summary>Finds dataset folders and files by name. Copies of the datasets pass through
/// case-insensitive file systems and archives, so an exact name is preferred and a name that
/// differs only in letter case is accepted.</summary>
internal static class DirectoryLookup
{
    public static string? ChildDirectory(string parent, string name)
    {
        var exact = Path.Combine(parent, name);
        if (Directory.Exists(exact))
            return exact;
        return SafeList(() => Directory.GetDirectories(parent))
            .Where(d => Path.GetFileName(d).Equals(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static string? ChildFile(string parent, string name)
    {
        var exact = Path.Combine(parent, name);
        if (File.Exists(exact))
            return exact;
        return SafeList(() => Directory.GetFiles(parent))
            .Where(f => Path.GetFileName(f).Equals(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static string[] SafeList(Func<string[]> list)
    {
        try
        {
            return list();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A folder the user named must exist; the message says which option pointed at it.</summary>
    public static string RequireDirectory(string path, string what)
    {
        if (!Directory.Exists(path))
            throw new VideoFerException(File.Exists(path)
                ? $"{path}: {what} must be a folder, not a file"
                : $"{path}: {what} does not exist");
        return Path.GetFullPath(path);
    }
}
