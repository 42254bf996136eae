using System.Globalization;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>Minimal parsing of the written EXPR, VA and AU files for the tests (the project's readers live in
/// VideoFer.Core); strict about the format the generator promises: LF line ends, a final newline, a header.</summary>
static class TaskFiles
{
    public const string VaHeader = "valence,arousal";
    public const string Au2020Header = "AU1,AU2,AU4,AU6,AU12,AU15,AU20,AU25";
    public const string Au2021Header = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";
    public const string Expr7Header = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise";
    public const string Expr8Header = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";

    /// <summary>The header and the data lines of a file.</summary>
    public static (string Header, string[] Rows) Lines(string path)
    {
        var text = File.ReadAllText(path);
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        var lines = text[..^1].Split('\n');
        return (lines[0], lines[1..]);
    }

    /// <summary>Valence and arousal per frame; NaN for the -5 sentinel (which must be "-5,-5").</summary>
    public static (double V, double A)[] ReadVa(string path)
    {
        var (header, rows) = Lines(path);
        Assert.Equal(VaHeader, header);
        return rows.Select((row, k) =>
        {
            if (row == "-5,-5") return (double.NaN, double.NaN);
            var f = row.Split(',');
            Assert.True(f.Length == 2, $"{path}:{k + 2}: '{row}'");
            double v = double.Parse(f[0], CultureInfo.InvariantCulture), a = double.Parse(f[1], CultureInfo.InvariantCulture);
            Assert.True(v is >= -1 and <= 1 && a is >= -1 and <= 1, $"{path}:{k + 2}: '{row}' outside [-1, 1]");
            return (v, a);
        }).ToArray();
    }

    /// <summary>AU values per frame, null for an unannotated frame (every value -1).</summary>
    public static int[]?[] ReadAu(string path, string expectedHeader)
    {
        var (header, rows) = Lines(path);
        Assert.Equal(expectedHeader, header);
        int count = header.Split(',').Length;
        return rows.Select((row, k) =>
        {
            var values = row.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(values.Length == count, $"{path}:{k + 2}: {values.Length} values, {count} AUs");
            if (values.All(v => v == -1)) return null;
            Assert.True(values.All(v => v is 0 or 1), $"{path}:{k + 2}: '{row}' mixes -1 with 0/1 or holds another value");
            return values;
        }).ToArray();
    }

    /// <summary>Expression labels per frame (-1 = unannotated).</summary>
    public static int[] ReadExpr(string path, string expectedHeader)
    {
        var (header, rows) = Lines(path);
        Assert.Equal(expectedHeader, header);
        return rows.Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Stem to file of every <c>.txt</c> in a folder.</summary>
    public static Dictionary<string, string> Stems(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.txt").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => f)
            : [];
}
