using System.Text;

namespace VideoFer.Formats;

/// <summary>A non-blank or blank line of a text file with its 1-based line number.</summary>
public readonly record struct NumberedLine(int Number, string Text)
{
    public bool IsBlank => string.IsNullOrWhiteSpace(Text);
}

/// <summary>Reads the small text formats of the datasets line by line, tolerating what files pick up
/// on their way through other tools: a UTF-8 (or UTF-16) byte-order mark, CRLF or CR line ends,
/// trailing blank lines and a missing final newline. Blank lines in the middle are still returned,
/// so a parser can reject them at the right line number.</summary>
public static class TextLines
{
    /// <summary>Opens a file for <see cref="Read(TextReader)"/>; an unreadable file becomes a <see cref="VideoFerException"/>.</summary>
    public static StreamReader Open(string path)
    {
        try
        {
            return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoFerException($"{path}: cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>Every line up to the last non-blank one. A stray U+FEFF left at the start of the
    /// first line (a BOM the decoder did not strip) is removed.</summary>
    public static IEnumerable<NumberedLine> Read(TextReader reader)
    {
        int number = 0;
        int pendingBlanks = 0; // blank lines are held back until we know they are not trailing
        string? line;
        while ((line = ReadLine(reader)) != null)
        {
            number++;
            if (number == 1 && line.Length > 0 && line[0] == '\uFEFF')
                line = line[1..];
            if (string.IsNullOrWhiteSpace(line))
            {
                pendingBlanks++;
                continue;
            }
            for (int b = pendingBlanks; b > 0; b--)
                yield return new NumberedLine(number - b, "");
            pendingBlanks = 0;
            yield return new NumberedLine(number, line);
        }
    }

    static string? ReadLine(TextReader reader)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (IOException e)
        {
            throw new VideoFerException($"cannot read text: {e.Message}", e);
        }
    }

    /// <summary>Shortens a line for an error message, so garbage input does not flood the terminal.</summary>
    public static string Quote(string text, int max = 40)
    {
        var sb = new StringBuilder();
        foreach (char c in text.Length > max ? text[..max] : text)
            sb.Append(char.IsControl(c) ? '?' : c);
        return "'" + sb + (text.Length > max ? "...'" : "'");
    }
}
