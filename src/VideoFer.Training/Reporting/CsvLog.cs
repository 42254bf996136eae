using VideoFer.Submissions;
using System.Globalization;
using VideoFer.IO;

namespace VideoFer.Training.Reporting;

/// <summary>An append-only CSV with a fixed header, truncatable to rows before an iteration (so a
/// resumed run's log is exactly the uninterrupted run's). Values are written invariantly.</summary>
public sealed class CsvLog
{
    readonly string _path;
    readonly string _header;

    public CsvLog(string path, params string[] columns)
    {
        _path = path;
        _header = string.Join(',', columns);
        if (!File.Exists(path)) File.WriteAllText(path, _header + "\n");
    }

    public void Append(params object[] values)
    {
        string line = string.Join(',', values.Select(v => v switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "",
        }));
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(stream);
        writer.Write(line + "\n");
    }

    /// <summary>Drops rows whose first column (the iteration) is greater than <paramref name="iteration"/>.</summary>
    public void TruncateAfter(long iteration)
    {
        var kept = Rows().Where(r => long.Parse(r[0], CultureInfo.InvariantCulture) <= iteration)
            .Select(r => string.Join(',', r));
        AtomicFile.WriteText(_path, w => w.Write(_header + "\n" + string.Concat(kept.Select(l => l + "\n"))));
    }

    public IEnumerable<string[]> Rows() =>
        File.ReadLines(_path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    public static IEnumerable<string[]> Read(string path) =>
        File.Exists(path) ? File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')) : [];
}
