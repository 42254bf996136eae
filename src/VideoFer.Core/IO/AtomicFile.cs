using System.Text;
using System.Text.RegularExpressions;

namespace VideoFer.IO;

/// <summary>Writes a file under a temporary name in the same folder and renames it into place, so an
/// interrupted run never leaves a half-written output that looks complete. The temporary names have
/// one recognisable shape (<c>.NAME.tmp-&lt;32 hex&gt;EXT</c>), so a later run that owns the folder can
/// remove what a killed one left behind (<see cref="RemoveOrphans"/>) without touching anything else.</summary>
public static partial class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path (same folder and extension), then
    /// moves it over <paramref name="path"/>. The temporary file is removed if writing fails.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoFerException($"{dir}: cannot create the folder: {e.Message}", e);
        }
        var temp = TemporaryPathFor(full);
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoFerException($"{full}: cannot write the file: {(DiskFull(dir) ? "the disk is full" : e.Message)}", e);
        }
        catch (Exception e) when (e is not VideoFerException and not OperationCanceledException && DiskFull(dir))
        {
            // An encoder's own error (libpng's "Write Error") when the real cause is the disk.
            throw new VideoFerException($"{full}: cannot write the file: the disk is full", e);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Whether the file system holding <paramref name="dir"/> has (almost) no space left.</summary>
    static bool DiskFull(string dir)
    {
        try { return new DriveInfo(dir).AvailableFreeSpace < 1 << 20; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Writes text (UTF-8 without BOM, '\n' line ends) atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            write(writer);
        });

    /// <summary>The temporary name <see cref="Write"/> uses for <paramref name="path"/> (a new one each call).</summary>
    public static string TemporaryPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!,
            $".{Path.GetFileNameWithoutExtension(path)}.tmp-{Guid.NewGuid():N}{Path.GetExtension(path)}");

    [GeneratedRegex(@"^\..*\.tmp-[0-9a-f]{32}(\.[^.]*)?$")]
    private static partial Regex TemporaryName();

    /// <summary>Whether <paramref name="fileName"/> has the shape of one of this class's temporary files.</summary>
    public static bool IsTemporary(string fileName) => TemporaryName().IsMatch(fileName);

    /// <summary>Removes the temporary files a killed run left directly in <paramref name="directory"/>.
    /// Only call it while holding the folder (see <see cref="OutputFolder"/>): a live writer's temporary
    /// file looks the same. Returns how many were removed.</summary>
    public static int RemoveOrphans(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory))
            if (IsTemporary(Path.GetFileName(file)))
            {
                File.Delete(file);
                removed++;
            }
        return removed;
    }

    /// <summary>Removes the temporary files a killed run left for one target file only (for folders that
    /// several runs share, each holding only its own targets).</summary>
    public static int RemoveOrphansOf(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) return 0;
        string prefix = $".{Path.GetFileNameWithoutExtension(path)}.tmp-";
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            string name = Path.GetFileName(file);
            if (IsTemporary(name) && name.Length == prefix.Length + 32 + Path.GetExtension(path).Length)
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }
}
