using System.Globalization;
using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>One frame's valence and arousal; both NaN where the frame is not annotated.</summary>
public readonly record struct FrameValenceArousal(int Frame, float Valence, float Arousal)
{
    public bool IsAnnotated => !float.IsNaN(Valence);
}

/// <summary>Parses the per-track valence-arousal format of every ABAW edition (annotations and the
/// per-video submissions of 2020-2023): the header <c>valence,arousal</c>, then one line <c>v,a</c> per
/// video frame (data line k is frame k). Values lie in [-1, 1]; -5 marks a frame without annotation
/// (in either value the whole frame counts as unannotated, read as NaN). Any other value outside
/// [-1, 1] is an error, not a silent gap. The header is read on construction, the frames lazily.</summary>
public sealed class ValenceArousalFile : IDisposable
{
    /// <summary>The organisers' mark for a frame nobody annotated.</summary>
    public const double Unannotated = -5;

    public const string Header = "valence,arousal";

    readonly TextReader _reader;
    readonly IEnumerator<NumberedLine> _lines;
    readonly string _path;
    readonly ReadOptions _options;
    bool _started;

    /// <summary>Data lines (frames) seen so far by <see cref="Frames"/>, skipped ones included.</summary>
    public int FramesSeen { get; private set; }

    /// <summary>Parses from a reader; <paramref name="path"/> only names the source in messages.</summary>
    public ValenceArousalFile(TextReader reader, string path, ReadOptions? options = null)
    {
        _reader = reader;
        _path = path;
        _options = options ?? ReadOptions.Strict;
        _lines = TextLines.Read(reader).GetEnumerator();
        if (!_lines.MoveNext())
            throw VideoFerException.InFile(path, $"expected the header '{Header}', got an empty file", 1);
        var first = _lines.Current;
        if (!IsHeader(first.Text))
            throw VideoFerException.InFile(path, $"expected the header '{Header}', got {TextLines.Quote(first.Text, 80)}", first.Number);
    }

    /// <summary>Opens and parses a file on disk.</summary>
    public static ValenceArousalFile Open(string path, ReadOptions? options = null)
    {
        var reader = TextLines.Open(path);
        try
        {
            return new ValenceArousalFile(reader, path, options);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The header line, spaces and letter case forgiven.</summary>
    public static bool IsHeader(string line)
    {
        var names = line.Split(',');
        return names.Length == 2
            && names[0].Trim().Equals("valence", StringComparison.OrdinalIgnoreCase)
            && names[1].Trim().Equals("arousal", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Frames in file order. In lenient mode a malformed line is reported and its frame skipped
    /// (later frames keep their numbers). Enumerate once.</summary>
    public IEnumerable<FrameValenceArousal> Frames()
    {
        if (_started)
            throw new InvalidOperationException("The frames of a ValenceArousalFile can be enumerated once.");
        _started = true;
        while (_lines.MoveNext())
        {
            var line = _lines.Current;
            int frame = line.Number - 1; // line 1 is the header
            FramesSeen = frame;
            var problem = TryParsePair(line.Text, out float valence, out float arousal);
            if (problem == null)
                yield return new FrameValenceArousal(frame, valence, arousal);
            else
                _options.Malformed(_path, line.Number, problem);
        }
    }

    /// <summary>Reads every frame; frames skipped in lenient mode hold NaN.</summary>
    public ValenceArousalLabels ReadAll()
    {
        var valence = new List<float>();
        var arousal = new List<float>();
        foreach (var f in Frames())
        {
            while (valence.Count < f.Frame - 1) { valence.Add(float.NaN); arousal.Add(float.NaN); }
            valence.Add(f.Valence);
            arousal.Add(f.Arousal);
        }
        while (valence.Count < FramesSeen) { valence.Add(float.NaN); arousal.Add(float.NaN); }
        return new ValenceArousalLabels(valence.ToArray(), arousal.ToArray());
    }

    /// <summary>Parses "v,a": null and the values (NaN, NaN for an unannotated frame), or the problem.</summary>
    internal static string? TryParsePair(string text, out float valence, out float arousal)
    {
        valence = arousal = float.NaN;
        if (string.IsNullOrWhiteSpace(text))
            return "expected 'valence,arousal' (two numbers), got an empty line";
        var parts = text.Split(',');
        if (parts.Length != 2)
            return $"expected 'valence,arousal' (two numbers), got {TextLines.Quote(text)}";
        if (ParseValue(parts[0], "valence", out double v) is string valenceProblem)
            return valenceProblem;
        if (ParseValue(parts[1], "arousal", out double a) is string arousalProblem)
            return arousalProblem;
        // -5 in either value: the frame as a whole is unannotated.
        if (v == Unannotated || a == Unannotated)
            return null;
        valence = (float)v;
        arousal = (float)a;
        return null;
    }

    /// <summary>One value: a number in [-1, 1] or exactly the unannotated mark -5.</summary>
    internal static string? ParseValue(string text, string name, out double value)
    {
        if (!InvariantNumbers.TryDouble(text, out value))
            return $"{name} must be a number, got {TextLines.Quote(text.Trim())}";
        if (value == Unannotated || value is >= -1 and <= 1)
            return null;
        return $"{name} {value.ToString("R", CultureInfo.InvariantCulture)} is outside [-1, 1] and is not the unannotated mark -5";
    }

    public void Dispose()
    {
        _lines.Dispose();
        _reader.Dispose();
    }
}
