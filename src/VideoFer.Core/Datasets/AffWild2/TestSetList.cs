using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>The test-set list files of the expression challenge: one video (track) stem per line.</summary>
public static class TestSetList
{
    /// <summary>Stems in file order; surrounding whitespace and a <c>.txt</c>/<c>.mp4</c>/<c>.avi</c>
    /// extension some copies carry are removed. A blank line in the middle or a stem with a path
    /// separator is malformed.</summary>
    public static IEnumerable<string> Parse(TextReader reader, string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Strict;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in TextLines.Read(reader))
        {
            var stem = line.Text.Trim();
            foreach (var ext in new[] { ".txt", ".mp4", ".avi" })
                if (stem.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                    stem = stem[..^ext.Length];
            if (stem.Length == 0 || stem.IndexOfAny(['/', '\\', ',', ' ', '\t', '\0']) >= 0)
            {
                options.Malformed(path, line.Number, line.IsBlank
                    ? "expected a video stem, got an empty line"
                    : $"expected a video stem (no spaces, commas or path separators), got {TextLines.Quote(line.Text)}", "line skipped");
                continue;
            }
            if (seen.Add(stem))
                yield return stem;
        }
    }

    /// <summary>Reads a list file from disk.</summary>
    public static IReadOnlyList<string> Read(string path, ReadOptions? options = null)
    {
        using var reader = TextLines.Open(path);
        return Parse(reader, path, options).ToList();
    }
}
