using System.Text;

namespace VideoFer.Submissions;

/// <summary>Writes a file under a temporary name in the same folder and renames it into place, so an
/// interrupted run never leaves a half-written submission or plot that looks complete.</summary>
public static class AtomicFile
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
        var temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.tmp-{Guid.NewGuid():N}{Path.GetExtension(full)}");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoFerException($"{full}: cannot write the file: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Writes text (UTF-8 without BOM, '\n' line ends) atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            write(writer);
        });
}
