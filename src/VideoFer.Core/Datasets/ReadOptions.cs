namespace VideoFer.Datasets;

/// <summary>How readers treat malformed lines. Strict (the default) throws a <see cref="VideoFerException"/>
/// naming file and line; lenient reports the same message to <see cref="Warning"/> and skips the
/// frame (or, for a bad header, the whole file).</summary>
public sealed record ReadOptions
{
    public static readonly ReadOptions Strict = new();

    public bool Lenient { get; init; }

    /// <summary>Receives one line per skipped frame or file in lenient mode.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Throws in strict mode; in lenient mode warns and returns, so the caller skips the item.</summary>
    internal void Malformed(string path, int line, string problem, string skipped = "frame skipped")
    {
        var error = VideoFerException.InFile(path, problem, line);
        if (!Lenient)
            throw error;
        Warning?.Invoke($"{error.Message}; {skipped}");
    }
}
