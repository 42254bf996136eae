using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace VideoFer.Vision.Video;

/// <summary>What a user named on a command line, as the media inputs it stands for (full paths, in the
/// order given, each once). An argument is
/// <list type="bullet">
/// <item>a video, an image, or a folder holding frame images (one input each);</item>
/// <item>a folder holding videos, searched recursively: its videos (by extension) and its subfolders
/// of frame images, in name order; hidden entries and links to folders are skipped;</item>
/// <item>a glob with <c>*</c> and <c>**</c> (quoted, or where no shell expands it: a scheduler's
/// command line, a list): the videos and images it matches, in name order;</item>
/// <item><c>@list.txt</c>: one of the above per line (blank lines and <c>#</c> comments skipped), relative
/// paths resolved from the list's folder; an error names the list's line.</item>
/// </list>
/// A folder to <paramref name="exclude"/> (the output folder, when it lies among the inputs) is never
/// searched, so a rerun does not take its own outputs for inputs.</summary>
public static class MediaInputs
{
    static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp", ".ts",
    };

    /// <summary>True when the name's extension is a video container VideoFer searches folders for.</summary>
    public static bool IsVideoPath(string path) => VideoExtensions.Contains(Path.GetExtension(path));

    /// <summary>The inputs, and whether the arguments name a corpus (several inputs, a folder of videos, a
    /// glob or a list) rather than exactly one video, image or frame folder.</summary>
    public static (IReadOnlyList<string> Inputs, bool IsCorpus) Expand(IEnumerable<string> given, string? exclude = null)
    {
        var args = given.ToList();
        var found = new List<string>();
        bool corpus = args.Count != 1;
        foreach (var arg in args)
            corpus |= Add(arg, Directory.GetCurrentDirectory(), where: arg, found, exclude);
        var unique = found.Distinct(StringComparer.Ordinal).ToList();
        return (unique, corpus);
    }

    /// <summary>Adds what <paramref name="arg"/> stands for; returns whether it named more than one
    /// input's worth (a folder of videos, a glob, a list). <paramref name="where"/> prefixes errors.</summary>
    static bool Add(string arg, string baseDir, string where, List<string> found, string? exclude)
    {
        if (arg.StartsWith('@') && !File.Exists(Path.Combine(baseDir, arg)))
        {
            AddList(arg[1..], baseDir, found, exclude);
            return true;
        }
        string full = Path.GetFullPath(arg, baseDir);
        if (File.Exists(full)) { found.Add(full); return false; }
        if (Directory.Exists(full))
        {
            if (HoldsOnlyFrames(full)) { found.Add(Path.TrimEndingDirectorySeparator(full)); return false; }
            int before = found.Count;
            Walk(full, found, exclude);
            if (found.Count == before) throw Error(where, "the folder holds neither videos nor frame images (searched recursively)");
            return true;
        }
        if (arg.Contains('*'))
        {
            AddGlob(arg, baseDir, where, found, exclude);
            return true;
        }
        throw Error(where, "no such file or folder");
    }

    static VideoFerException Error(string where, string problem) => new($"{where}: {problem}");

    static void AddList(string listPath, string baseDir, List<string> found, string? exclude)
    {
        string list = Path.GetFullPath(listPath, baseDir);
        string[] lines;
        try { lines = File.ReadAllLines(list); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw VideoFerException.InFile(listPath, $"cannot read the input list: {e.Message}");
        }
        string listDir = Path.GetDirectoryName(list)!;
        int before = found.Count;
        for (int i = 0; i < lines.Length; i++)
        {
            string entry = lines[i].Trim();
            if (entry.Length == 0 || entry.StartsWith('#')) continue;
            if (entry.StartsWith('@')) throw VideoFerException.InFile(listPath, "a list cannot name another list", i + 1);
            Add(entry, listDir, $"{listPath}:{i + 1}: {entry}", found, exclude);
        }
        if (found.Count == before) throw VideoFerException.InFile(listPath, "the input list names no input");
    }

    static void AddGlob(string pattern, string baseDir, string where, List<string> found, string? exclude)
    {
        // The literal folders before the first wildcard are the root the matcher walks; the rest is the pattern.
        string full = Path.GetFullPath(pattern.Replace('\\', '/'), baseDir);
        var segments = full.Split('/');
        int wild = Array.FindIndex(segments, s => s.Contains('*'));
        string root = string.Join('/', segments[..wild]);
        if (root.Length == 0) root = "/";
        if (!Directory.Exists(root)) throw Error(where, $"no such folder: {root}");
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(string.Join('/', segments[wild..]));
        var matches = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files
            .Select(m => Path.GetFullPath(Path.Combine(root, m.Path)))
            .Where(p => !p[(root.Length)..].Split('/').Any(s => s.StartsWith('.')) && !Excluded(p, exclude))
            .Where(p => IsVideoPath(p) || MediaSource.IsImagePath(p))
            .Order(StringComparer.Ordinal).ToList();
        if (matches.Count == 0) throw Error(where, "matches no video or image");
        found.AddRange(matches);
    }

    /// <summary>A folder with frame images and no video directly in it is one frame sequence.</summary>
    static bool HoldsOnlyFrames(string dir)
    {
        var files = Files(dir);
        return !files.Any(IsVideoPath) && files.Any(MediaSource.IsImagePath);
    }

    static void Walk(string dir, List<string> found, string? exclude)
    {
        if (Excluded(dir, exclude)) return;
        var files = Files(dir);
        var videos = files.Where(IsVideoPath).ToList();
        if (videos.Count == 0 && files.Any(MediaSource.IsImagePath)) { found.Add(dir); return; }
        found.AddRange(videos);
        foreach (var sub in Folders(dir)) Walk(sub, found, exclude);
    }

    static readonly EnumerationOptions Visible = new()
    {
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, // names starting with '.' on Unix
        IgnoreInaccessible = false,
    };

    static List<string> Files(string dir) => Listing(dir, () => Directory.EnumerateFiles(dir, "*", Visible));

    // Links to folders are not followed: they can loop, or lead out of what the user named.
    static List<string> Folders(string dir) => Listing(dir, () => Directory.EnumerateDirectories(dir, "*", Visible)
        .Where(d => !File.GetAttributes(d).HasFlag(FileAttributes.ReparsePoint)));

    static List<string> Listing(string dir, Func<IEnumerable<string>> list)
    {
        try { return list().Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw VideoFerException.InFile(dir, $"cannot read the folder: {e.Message}");
        }
    }

    static bool Excluded(string path, string? exclude) =>
        exclude != null && (path == Path.TrimEndingDirectorySeparator(Path.GetFullPath(exclude)) || VideoFer.IO.PathGuard.IsInside(exclude, path));
}
