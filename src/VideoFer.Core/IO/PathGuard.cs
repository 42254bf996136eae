namespace VideoFer.IO;

/// <summary>The one check every write and delete goes through: a path is inside a folder when it is the
/// folder or lies below it, compared by whole path segments after resolving <c>..</c> (a string prefix
/// test would let <c>/data/out</c> match <c>/data/out_full</c>).</summary>
public static class PathGuard
{
    /// <summary>True when <paramref name="path"/> lies strictly below <paramref name="root"/>.</summary>
    public static bool IsInside(string root, string path)
    {
        string r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string p = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (r == "/") return p != "/" && p.StartsWith('/');
        return p.Length > r.Length + 1 && p.StartsWith(r, StringComparison.Ordinal) && p[r.Length] == Path.DirectorySeparatorChar;
    }

    /// <summary><paramref name="root"/> joined with <paramref name="parts"/>, refused when the result is
    /// not strictly inside <paramref name="root"/>.</summary>
    public static string Combine(string root, params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([root, .. parts]));
        if (!IsInside(root, path))
            throw new VideoFerException($"{path}: refused: it is not inside the output folder {Path.GetFullPath(root)}");
        return path;
    }

    /// <summary>Deletes a file or a folder (recursively) that must lie strictly inside
    /// <paramref name="root"/>; anything else is refused. Missing paths are ignored.</summary>
    public static void Delete(string root, string path)
    {
        if (!IsInside(root, path))
            throw new InvalidOperationException($"refused to delete {path}: not inside {root}");
        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            Directory.Delete(path, recursive: true);
        else if (File.Exists(path) || Directory.Exists(path))
            File.Delete(path); // a file, or a symbolic link (never followed)
    }
}
