using VideoFer.Formats;

namespace VideoFer.Datasets.AffectNet;

/// <summary>One data row of an AffectNet list file.</summary>
/// <param name="RelativePath">subDirectory_filePath, with '/' separators.</param>
public sealed record AffectNetCsvRow(int Line, string RelativePath, FaceBox Box, int Code, double Valence, double Arousal);

/// <summary>Parses the original release's list files (<c>Manually_Annotated_file_lists/training.csv</c>,
/// <c>validation.csv</c>): columns subDirectory_filePath, face_x, face_y, face_width, face_height,
/// facial_landmarks, expression, valence, arousal. <c>training.csv</c> has a header row and
/// <c>validation.csv</c> has none, so the first line decides: a header names its columns (any
/// order), otherwise the standard order is assumed.</summary>
public static class AffectNetCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["subDirectory_filePath", "face_x", "face_y", "face_width", "face_height", "facial_landmarks", "expression", "valence", "arousal"];

    const int PathColumn = 0, ExpressionColumn = 6;

    public static IEnumerable<AffectNetCsvRow> Parse(TextReader reader, string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Strict;
        int[]? columns = null; // index in a row of each of Columns, -1 if absent
        foreach (var line in TextLines.Read(reader))
        {
            var fields = line.IsBlank ? null : CsvFields.Split(line.Text);
            if (columns == null)
            {
                columns = HeaderColumns(fields);
                if (columns != null)
                    continue; // that was the header
                columns = Enumerable.Range(0, Columns.Count).ToArray();
                if (fields == null || fields.Length <= ExpressionColumn || !InvariantNumbers.TryInt(fields[ExpressionColumn], out _))
                {
                    // Neither a header nor a row: nothing below can be trusted, even in lenient mode.
                    throw VideoFerException.InFile(path,
                        $"expected a header row ({string.Join(',', Columns)}) or a data row with the expression code in column 7, got {TextLines.Quote(line.Text)}",
                        line.Number);
                }
            }
            if (ParseRow(fields, columns, line, path, options) is AffectNetCsvRow row)
                yield return row;
        }
    }

    static int[]? HeaderColumns(string[]? fields)
    {
        if (fields == null)
            return null;
        var names = fields.Select(f => f.Trim()).ToList();
        var columns = Columns.Select(c => names.FindIndex(n => n.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
        return columns[PathColumn] >= 0 && columns[ExpressionColumn] >= 0 ? columns : null;
    }

    static AffectNetCsvRow? ParseRow(string[]? fields, int[] columns, NumberedLine line, string path, ReadOptions options)
    {
        string? problem = null;
        int needed = columns.Where((c, i) => i <= ExpressionColumn && c >= 0).Max() + 1;
        if (fields == null)
            problem = line.IsBlank ? "expected a data row, got an empty line" : $"expected comma-separated fields, got an unbalanced quote in {TextLines.Quote(line.Text)}";
        else if (fields.Length < needed)
            problem = $"expected at least {needed} comma-separated fields ({string.Join(',', Columns.Take(ExpressionColumn + 1))}, ...), got {fields.Length}";
        if (problem != null)
        {
            options.Malformed(path, line.Number, problem, "row skipped");
            return null;
        }

        string Field(int column) => columns[column] >= 0 && columns[column] < fields!.Length ? fields[columns[column]].Trim() : "";
        var relative = Field(PathColumn).Replace('\\', '/');
        var box = new double[4];
        if (relative.Length == 0 || relative.Contains('\0'))
            problem = $"expected an image path in subDirectory_filePath, got {TextLines.Quote(Field(PathColumn))}";
        else if (!InvariantNumbers.TryInt(Field(ExpressionColumn), out int code) || code is < 0 or > AffectNetCodes.MaxCode)
            problem = $"expected an expression code from 0 to {AffectNetCodes.MaxCode}, got {TextLines.Quote(Field(ExpressionColumn))}";
        else
        {
            for (int i = 0; i < 4 && problem == null; i++)
                if (!TryOptionalNumber(Field(1 + i), out box[i]))
                    problem = $"expected a number for {Columns[1 + i]}, got {TextLines.Quote(Field(1 + i))}";
            double valence = double.NaN, arousal = double.NaN;
            if (problem == null && !TryOptionalNumber(Field(7), out valence))
                problem = $"expected a number for valence, got {TextLines.Quote(Field(7))}";
            if (problem == null && !TryOptionalNumber(Field(8), out arousal))
                problem = $"expected a number for arousal, got {TextLines.Quote(Field(8))}";
            if (problem == null)
                return new AffectNetCsvRow(line.Number, relative, new FaceBox(box[0], box[1], box[2], box[3]), code, valence, arousal);
        }
        options.Malformed(path, line.Number, problem!, "row skipped");
        return null;
    }

    // A missing or empty column reads as NaN; a present one must be a number.
    static bool TryOptionalNumber(string text, out double value)
    {
        value = double.NaN;
        return text.Length == 0 || InvariantNumbers.TryDouble(text, out value);
    }
}
