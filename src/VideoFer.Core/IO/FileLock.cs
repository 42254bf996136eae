namespace VideoFer.IO;

/// <summary>An exclusive lock held through an open lock file. FileShare.None is an advisory lock (flock)
/// on Linux and macOS and a sharing lock on Windows; the operating system releases it when the process
/// dies, so a killed run never leaves anything locked.</summary>
public sealed class FileLock : IDisposable
{
    readonly FileStream _stream;
    readonly bool _deleteOnRelease;

    FileLock(string path, FileStream stream, bool deleteOnRelease)
    {
        Path = path;
        _stream = stream;
        _deleteOnRelease = deleteOnRelease;
    }

    public string Path { get; }

    /// <summary>Takes the lock, or returns null when another process (or another holder in this one)
    /// has it. The file stays empty, so folders that hold one stay byte-identical across runs.
    /// <paramref name="deleteOnRelease"/> removes the file when released (while still holding it).</summary>
    /// <exception cref="UnauthorizedAccessException">the folder is not writable</exception>
    /// <exception cref="IOException">the file cannot be created for another reason</exception>
    public static FileLock? TryAcquire(string path, bool deleteOnRelease = false)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // held by someone else
        }
        return new FileLock(path, stream, deleteOnRelease);
    }

    public void Dispose()
    {
        if (_deleteOnRelease)
        {
            // Unlinked before it is unlocked: a run that opens the name afterwards creates a new file.
            try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _stream.Dispose();
    }
}
