using System.Text.RegularExpressions;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace VideoFer.Vision.Video;

/// <summary>How a folder of pictures is read.</summary>
public enum FolderReading
{
    /// <summary>A folder of numbered frames of one size (00001.jpg, frame_0002.png, ...: Aff-Wild2's
    /// cropped_aligned/&lt;video&gt;/, prepare's output, ffmpeg's %05d.jpg) is one video; any other pictures are
    /// photos, each its own input.</summary>
    Auto,
    /// <summary>Every folder holding pictures and no video is one video (<c>--frames</c>).</summary>
    Frames,
    /// <summary>Every picture is its own input, numbered or not (<c>--photos</c>).</summary>
    Photos,
}

/// <summary>The inputs a command line names, whether they make a corpus, and the files met that are no input
/// (with the reason), so that nothing is dropped silently.</summary>
public sealed record MediaExpansion(IReadOnlyList<string> Inputs, bool IsCorpus, IReadOnlyList<(string Path, string Reason)> Skipped)
{
    public void Deconstruct(out IReadOnlyList<string> inputs, out bool isCorpus)
    {
        inputs = Inputs;
        isCorpus = IsCorpus;
    }
}

/// <summary>What a user named on a command line, as the media inputs it stands for (full paths, in the
/// order given, each once). An argument is
/// <list type="bullet">
/// <item>a video or an image (one input), or a folder of numbered frames (one video; see <see cref="FolderReading"/>);</item>
/// <item>any other folder, searched recursively: every video and every picture in it, and its subfolders of
/// numbered frames, in name order; other files are listed as skipped with the reason; hidden entries and links to
/// folders are not entered;</item>
/// <item>a glob with <c>*</c> and <c>**</c> (quoted, or where no shell expands it: a scheduler's
/// command line, a list): the videos and images it matches, in name order;</item>
/// <item><c>@list.txt</c>: one of the above per line (blank lines and <c>#</c> comments skipped), relative
/// paths resolved from the list's folder; an error names the list's line.</item>
/// </list>
/// A folder to <paramref name="exclude"/> (the output folder, when it lies among the inputs) is never
/// searched, so a rerun does not take its own outputs for inputs. A folder holding nothing usable, named beside
/// other inputs, stays an input of its own, which then fails alone.</summary>
public static partial class MediaInputs
{
    static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp", ".ts",
    };

    /// <summary>True when the name's extension is a video container VideoFer searches folders for.</summary>
    public static bool IsVideoPath(string path) => VideoExtensions.Contains(Path.GetExtension(path));

    /// <summary>The inputs, and whether the arguments name a corpus (several inputs, a folder of videos, a
    /// glob or a list) rather than exactly one video, image or frame folder.</summary>
    public static MediaExpansion Expand(IEnumerable<string> given, string? exclude = null, FolderReading reading = FolderReading.Auto)
    {
        var args = given.ToList();
        var walk = new Walker(exclude, reading, args.Count > 1);
        bool corpus = args.Count != 1;
        foreach (var arg in args)
            corpus |= walk.Add(arg, Directory.GetCurrentDirectory(), where: arg);
        var unique = walk.Found.Distinct(StringComparer.Ordinal).ToList();
        return new MediaExpansion(unique, corpus || unique.Count != 1, walk.Skipped);
    }

    /// <summary>One expansion's state: the inputs and skipped files found so far.</summary>
    sealed class Walker(string? exclude, FolderReading reading, bool severalArguments)
    {
        public List<string> Found { get; } = [];
        public List<(string Path, string Reason)> Skipped { get; } = [];

        /// <summary>Adds what <paramref name="arg"/> stands for; returns whether it named more than one
        /// input's worth (a folder of videos or photos, a glob, a list). <paramref name="where"/> prefixes errors.</summary>
        public bool Add(string arg, string baseDir, string where)
        {
            if (arg.StartsWith('@') && !File.Exists(Path.Combine(baseDir, arg)))
            {
                AddList(arg[1..], baseDir);
                return true;
            }
            string full = Path.GetFullPath(arg, baseDir);
            if (LeadsNowhere(full)) throw Error(where, "a link that leads nowhere (its target is missing, or links back to itself)");
            if (File.Exists(full)) { Found.Add(full); return false; }
            if (Directory.Exists(full))
            {
                full = Path.TrimEndingDirectorySeparator(full);
                if (IsOneVideo(full)) { Found.Add(full); return false; }
                int before = Found.Count;
                Walk(full);
                if (Found.Count > before) return true;
                // Named among other inputs, a folder with nothing usable fails alone, in its turn, with its message.
                if (severalArguments) { Found.Add(full); return true; }
                throw Error(where, "the folder holds neither videos nor pictures (searched recursively)");
            }
            if (arg.Contains('*'))
            {
                AddGlob(arg, baseDir, where);
                return true;
            }
            throw Error(where, "no such file or folder");
        }

        void AddList(string listPath, string baseDir)
        {
            string list = Path.GetFullPath(listPath, baseDir);
            string[] lines;
            try { lines = File.ReadAllLines(list); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw VideoFerException.InFile(listPath, $"cannot read the input list: {e.Message}");
            }
            string listDir = Path.GetDirectoryName(list)!;
            int before = Found.Count;
            for (int i = 0; i < lines.Length; i++)
            {
                string entry = lines[i].Trim();
                if (entry.Length == 0 || entry.StartsWith('#')) continue;
                if (entry.StartsWith('@')) throw VideoFerException.InFile(listPath, "a list cannot name another list", i + 1);
                Add(entry, listDir, $"{listPath}:{i + 1}: {entry}");
            }
            if (Found.Count == before) throw VideoFerException.InFile(listPath, "the input list names no input");
        }

        void AddGlob(string pattern, string baseDir, string where)
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
            Found.AddRange(matches);
        }

        /// <summary>Whether a folder is one video: numbered frames of one size (or, with --frames, any pictures and
        /// no video; never with --photos).</summary>
        bool IsOneVideo(string dir)
        {
            if (reading == FolderReading.Photos) return false;
            var files = Files(dir);
            if (files.Any(IsVideoPath)) return false;
            var pictures = files.Where(MediaSource.IsImagePath).ToList();
            return reading == FolderReading.Frames ? pictures.Count > 0 : IsFrameSequence(pictures, files.Count);
        }

        void Walk(string dir)
        {
            if (Excluded(dir, exclude)) return;
            if (IsOneVideo(dir)) { Found.Add(dir); return; }
            foreach (var file in Files(dir))
            {
                if (LeadsNowhere(file)) Skipped.Add((file, "a link that leads nowhere (its target is missing, or links back to itself)"));
                else if (IsVideoPath(file) || MediaSource.IsImagePath(file)) Found.Add(file);
                else Skipped.Add((file, "neither a video nor a picture (by its extension)"));
            }
            foreach (var sub in Folders(dir)) Walk(sub);
        }
    }

    [GeneratedRegexAttribute(@"^(?<prefix>.*?)(?<number>\d+)$")]
    private static partial Regex Numbered();

    /// <summary>Numbered frames of one video: at least two pictures and nothing else, whose names are one prefix and
    /// a number (00001.jpg, frame_0002.png), the same size where their headers tell it (the first, middle and last).</summary>
    static bool IsFrameSequence(IReadOnlyList<string> pictures, int files)
    {
        if (pictures.Count < 2 || files != pictures.Count) return false;
        string? prefix = null;
        foreach (var p in pictures)
        {
            var m = Numbered().Match(Path.GetFileNameWithoutExtension(p));
            if (!m.Success) return false;
            prefix ??= m.Groups["prefix"].Value;
            if (m.Groups["prefix"].Value != prefix) return false;
        }
        // Only regular files with bytes are opened: a pipe named 1.jpg would block the read.
        var sizes = new[] { pictures[0], pictures[pictures.Count / 2], pictures[^1] }
            .Select(p => { try { return new FileInfo(p).Length > 0 && !LeadsNowhere(p) ? VideoFer.Formats.FrameSize.ReadHeader(p) : null; } catch (IOException) { return null; } })
            .OfType<(long, long)>().Distinct().Count();
        return sizes <= 1;
    }

    static VideoFerException Error(string where, string problem) => new($"{where}: {problem}");

    /// <summary>A symbolic link whose target does not exist or that loops back on itself.</summary>
    static bool LeadsNowhere(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null) return false;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null || !target.Exists;
        }
        catch (IOException) { return true; } // too many levels of links
        catch (UnauthorizedAccessException) { return false; }
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
