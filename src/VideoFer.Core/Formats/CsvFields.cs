using System.Text;

namespace VideoFer.Formats;

/// <summary>Splits one CSV line into fields: comma-separated, fields optionally in double quotes
/// with <c>""</c> for a quote inside. The dataset lists never put a newline inside a field, so a
/// record is one line.</summary>
public static class CsvFields
{
    /// <summary>The fields of a line, or null if a quoted field is not closed or a quote is followed by
    /// something other than a comma.</summary>
    public static string[]? Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                        return null; // unterminated quote
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                    return null; // text after the closing quote
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                    field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
                return fields.ToArray();
            i++; // the comma
        }
    }

    /// <summary>A field as it must be written: quoted only when it holds a comma, quote or line break.</summary>
    public static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
