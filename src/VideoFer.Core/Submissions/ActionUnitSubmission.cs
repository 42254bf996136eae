using VideoFer.Datasets.AffWild2;
using VideoFer.Formats;
using VideoFer.IO;

namespace VideoFer.Submissions;

/// <summary>Action unit predictions for one video: 0/1 per AU and frame, frame-major
/// (<c>Values[(frame - 1) * Names.Count + au]</c>).</summary>
public sealed record ActionUnitPredictionTrack(string Stem, string Path, IReadOnlyList<string> Names, sbyte[] Values)
{
    public int FrameCount => Values.Length / Names.Count;

    /// <summary>The decisions of one 1-based frame.</summary>
    public ReadOnlySpan<sbyte> Frame(int frame) => Values.AsSpan((frame - 1) * Names.Count, Names.Count);
}

/// <summary>The per-video AU submission of ABAW 2020-2023: <c>&lt;stem&gt;.txt</c> whose header is the
/// edition's AU list (<see cref="AbawActionUnitNames"/>), then one line per video frame of comma-separated
/// 0/1, one per AU.</summary>
public static class ActionUnitSubmission
{
    /// <summary>Writes one video's decisions (frame-major, <c>names.Count</c> per frame, each 0 or 1) atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> names, IReadOnlyList<sbyte> values)
    {
        Check(names, values, System.IO.Path.GetFileName(path));
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(AbawActionUnits.Header(names));
            WriteRows(w, names.Count, values, prefix: null);
        });
    }

    public static void WriteAll(string directory, IReadOnlyList<string> names, IEnumerable<(string Stem, IReadOnlyList<sbyte> Values)> tracks)
    {
        foreach (var (stem, values) in tracks)
            Write(System.IO.Path.Combine(directory, stem + ".txt"), names, values);
    }

    internal static void Check(IReadOnlyList<string> names, IReadOnlyList<sbyte> values, string what)
    {
        if (names.Count == 0)
            throw new ArgumentException("at least one AU", nameof(names));
        if (values.Count % names.Count != 0)
            throw new ArgumentException($"{what}: {values.Count} values is not {names.Count} per frame", nameof(values));
        for (int i = 0; i < values.Count; i++)
            if (values[i] is not (0 or 1))
                throw new ArgumentOutOfRangeException(nameof(values), $"{what}: frame {i / names.Count + 1}, {names[i % names.Count]}: {values[i]} is not 0 or 1");
    }

    internal static void WriteRows(TextWriter w, int count, IReadOnlyList<sbyte> values, Func<int, string>? prefix)
    {
        var line = new System.Text.StringBuilder();
        for (int frame = 0; frame < values.Count / count; frame++)
        {
            line.Clear();
            if (prefix != null) line.Append(prefix(frame + 1)).Append(',');
            for (int j = 0; j < count; j++)
            {
                if (j > 0) line.Append(',');
                line.Append(values[frame * count + j] == 1 ? '1' : '0');
            }
            w.WriteLine(line);
        }
    }

    /// <summary>Parses predictions. <paramref name="expectedNames"/>, if given, must be the header exactly
    /// (same AUs, same order); every later line holds one 0 or 1 per AU. Errors name the file and line.</summary>
    public static ActionUnitPredictionTrack Parse(TextReader reader, string path, IReadOnlyList<string>? expectedNames = null)
    {
        IReadOnlyList<string>? names = null;
        var values = new List<sbyte>();
        foreach (var line in TextLines.Read(reader))
        {
            if (names == null)
            {
                names = AbawActionUnits.ParseHeader(line.Text);
                if (names == null || (expectedNames != null && !names.SequenceEqual(expectedNames)))
                    throw VideoFerException.InFile(path, $"expected the header '{(expectedNames != null ? AbawActionUnits.Header(expectedNames) : "AU1,AU2,...")}', got {TextLines.Quote(line.Text, 80)}", line.Number);
                continue;
            }
            var error = line.IsBlank
                ? $"expected {names.Count} comma-separated 0/1 values ({AbawActionUnits.Header(names)}), got an empty line"
                : ParseDecisions(line.Text.Split(','), names, values);
            if (error != null)
                throw VideoFerException.InFile(path, error, line.Number);
        }
        if (names == null)
            throw VideoFerException.InFile(path, $"expected the header '{(expectedNames != null ? AbawActionUnits.Header(expectedNames) : "AU1,AU2,...")}', got an empty file", 1);
        if (values.Count == 0)
            throw VideoFerException.InFile(path, "no prediction after the header: one line per video frame is needed", 2);
        return new ActionUnitPredictionTrack(System.IO.Path.GetFileNameWithoutExtension(path), path, names, values.ToArray());
    }

    public static ActionUnitPredictionTrack Read(string path, IReadOnlyList<string>? expectedNames = null)
    {
        using var reader = TextLines.Open(path);
        return Parse(reader, path, expectedNames);
    }

    /// <summary>Appends one frame's decisions to <paramref name="values"/>; an error message or null.</summary>
    internal static string? ParseDecisions(string[] fields, IReadOnlyList<string> names, List<sbyte> values)
    {
        if (fields.Length != names.Count)
            return $"expected {names.Count} comma-separated 0/1 values ({AbawActionUnits.Header(names)}), got {fields.Length}";
        for (int j = 0; j < fields.Length; j++)
        {
            var f = fields[j].Trim();
            if (f is not ("0" or "1"))
                return $"{names[j]}: expected 0 or 1, got {TextLines.Quote(fields[j])}";
        }
        foreach (var f in fields)
            values.Add(f.Trim() == "1" ? (sbyte)1 : (sbyte)0);
        return null;
    }
}
