namespace VideoFer;

/// <summary>An error caused by the user's input (a file, a flag, a dataset) rather than by a bug.
/// Its message is the one line the CLI prints: it names the file (and line) and what is wrong.</summary>
public class VideoFerException : Exception
{
    public VideoFerException(string message) : base(message) { }
    public VideoFerException(string message, Exception inner) : base(message, inner) { }

    /// <summary>An error located in a file, optionally at a 1-based line.</summary>
    public static VideoFerException InFile(string path, string problem, int? line = null) =>
        new(line is int l ? $"{path}:{l}: {problem}" : $"{path}: {problem}");
}
