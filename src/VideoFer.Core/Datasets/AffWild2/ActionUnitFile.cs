using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>Parses the per-track action unit format of every ABAW edition (annotations and the
/// per-video submissions of 2020-2023): a header naming the AUs (<c>AU1,AU2,...</c>), then one line per
/// video frame (data line k is frame k) with one value per AU: 1 active, 0 not, -1 not annotated (the
/// organisers mark an unannotated frame with -1 in every AU). The header is read on construction, the
/// frames lazily.</summary>
public sealed class ActionUnitFile : IDisposable
{
    readonly TextReader _reader;
    readonly IEnumerator<NumberedLine> _lines;
    readonly string _path;
    readonly ReadOptions _options;
    bool _started;

    /// <summary>The AUs the header names, in file order (normalised to <c>AU&lt;number&gt;</c>).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Data lines (frames) seen so far by <see cref="Frames"/>, skipped ones included.</summary>
    public int FramesSeen { get; private set; }

    /// <summary>Parses from a reader; <paramref name="path"/> only names the source in messages.</summary>
    /// <param name="expected">If set, the header must name exactly these AUs in this order (the list of a
    /// known edition); the message says which AUs differ.</param>
    /// <param name="expectedWhat">How the expected list is named in that message, e.g. "the 2021 AU list".</param>
    public ActionUnitFile(TextReader reader, string path, ReadOptions? options = null,
        IReadOnlyList<string>? expected = null, string? expectedWhat = null)
    {
        _reader = reader;
        _path = path;
        _options = options ?? ReadOptions.Strict;
        _lines = TextLines.Read(reader).GetEnumerator();
        if (!_lines.MoveNext())
            throw VideoFerException.InFile(path, "expected a header naming the AUs (AU1,AU2,...), got an empty file", 1);
        var first = _lines.Current;
        if (!AbawActionUnits.TryParseHeader(first.Text, out var names, out var problem))
            throw VideoFerException.InFile(path, problem, first.Number);
        if (expected != null && AbawActionUnits.Mismatch(names, expected) is string mismatch)
            throw VideoFerException.InFile(path,
                $"the header's AUs are not {expectedWhat ?? "the expected list"} '{AbawActionUnits.Header(expected)}': {mismatch}", first.Number);
        Names = names;
    }

    /// <summary>Opens and parses a file on disk.</summary>
    public static ActionUnitFile Open(string path, ReadOptions? options = null, IReadOnlyList<string>? expected = null, string? expectedWhat = null)
    {
        var reader = TextLines.Open(path);
        try
        {
            return new ActionUnitFile(reader, path, options, expected, expectedWhat);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Frames in file order with one value per AU (a fresh array each). In lenient mode a
    /// malformed line is reported and its frame skipped (later frames keep their numbers). Enumerate once.</summary>
    public IEnumerable<(int Frame, sbyte[] Values)> Frames()
    {
        if (_started)
            throw new InvalidOperationException("The frames of an ActionUnitFile can be enumerated once.");
        _started = true;
        while (_lines.MoveNext())
        {
            var line = _lines.Current;
            int frame = line.Number - 1; // line 1 is the header
            FramesSeen = frame;
            var values = new sbyte[Names.Count];
            var problem = TryParseValues(line.Text, values);
            if (problem == null)
                yield return (frame, values);
            else
                _options.Malformed(_path, line.Number, problem);
        }
    }

    /// <summary>Reads every frame; frames skipped in lenient mode hold -1 in every AU.</summary>
    public ActionUnitLabels ReadAll()
    {
        var values = new List<sbyte>();
        int count = Names.Count;
        foreach (var (frame, row) in Frames())
        {
            while (values.Count < (frame - 1) * count) values.Add(-1);
            values.AddRange(row);
        }
        while (values.Count < FramesSeen * count) values.Add(-1);
        return new ActionUnitLabels(Names, values.ToArray());
    }

    /// <summary>Parses one line into <paramref name="values"/> (its length is the AU count): null, or the problem.</summary>
    internal static string? TryParseValues(string text, Span<sbyte> values) =>
        TryParseValues(text.Split(','), 0, values, text);

    /// <summary>Parses <paramref name="values"/>.Length fields of <paramref name="fields"/> from <paramref name="start"/>.</summary>
    internal static string? TryParseValues(string[] fields, int start, Span<sbyte> values, string text)
    {
        string expectation = $"{values.Length} comma-separated values 0, 1 or -1 (one per AU)";
        if (string.IsNullOrWhiteSpace(text))
            return $"expected {expectation}, got an empty line";
        if (fields.Length - start != values.Length)
            return $"expected {expectation}, got {fields.Length - start} in {TextLines.Quote(text, 80)}";
        for (int i = 0; i < values.Length; i++)
        {
            if (!InvariantNumbers.TryInt(fields[start + i], out int v) || v is < -1 or > 1)
                return $"expected {expectation}, got {TextLines.Quote(fields[start + i].Trim())} in {TextLines.Quote(text, 80)}";
            values[i] = (sbyte)v;
        }
        return null;
    }

    public void Dispose()
    {
        _lines.Dispose();
        _reader.Dispose();
    }
}
