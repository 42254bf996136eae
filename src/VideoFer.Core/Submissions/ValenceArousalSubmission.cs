using System.Globalization;
using VideoFer.Formats;
using VideoFer.IO;

namespace VideoFer.Submissions;

/// <summary>Valence-arousal predictions for one video, one pair per video frame (index frame - 1).</summary>
public sealed record ValenceArousalPredictionTrack(string Stem, string Path, float[] Valence, float[] Arousal)
{
    public int FrameCount => Valence.Length;
}

/// <summary>The per-video VA submission of ABAW 2020-2023: <c>&lt;stem&gt;.txt</c> with the header
/// <c>valence,arousal</c>, then one <c>v,a</c> line per video frame (every frame, also those without a
/// face), numbers in the invariant culture.</summary>
public static class ValenceArousalSubmission
{
    public const string Header = "valence,arousal";

    /// <summary>Writes one video's predictions atomically. Values are clamped to [-1, 1] (a regression
    /// head can overshoot; the challenge range is [-1, 1]); NaN is refused with an
    /// <see cref="ArgumentException"/> naming the frame, since a submission needs a number for every frame.</summary>
    public static void Write(string path, IReadOnlyList<float> valence, IReadOnlyList<float> arousal)
    {
        Check(valence, arousal, System.IO.Path.GetFileName(path));
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Header);
            for (int i = 0; i < valence.Count; i++)
                w.WriteLine($"{Format(valence[i])},{Format(arousal[i])}");
        });
    }

    /// <summary>Writes <c>&lt;dir&gt;/&lt;stem&gt;.txt</c> for every video.</summary>
    public static void WriteAll(string directory, IEnumerable<(string Stem, IReadOnlyList<float> Valence, IReadOnlyList<float> Arousal)> tracks)
    {
        foreach (var (stem, valence, arousal) in tracks)
            Write(System.IO.Path.Combine(directory, stem + ".txt"), valence, arousal);
    }

    /// <summary>A value as written: clamped to [-1, 1], shortest round-trip form, invariant culture.</summary>
    public static string Format(float value) => Math.Clamp(value, -1f, 1f).ToString("R", CultureInfo.InvariantCulture);

    internal static void Check(IReadOnlyList<float> valence, IReadOnlyList<float> arousal, string what)
    {
        if (valence.Count != arousal.Count)
            throw new ArgumentException($"{what}: {valence.Count} valence but {arousal.Count} arousal values; one pair per frame");
        for (int i = 0; i < valence.Count; i++)
            if (float.IsNaN(valence[i]) || float.IsNaN(arousal[i]))
                throw new ArgumentException($"{what}: frame {i + 1}: {(float.IsNaN(valence[i]) ? "valence" : "arousal")} is NaN; " +
                    "a submission needs a number for every frame (fill frames without a prediction first)");
    }

    /// <summary>Parses predictions: the header, then two finite numbers in [-1, 1] per line
    /// (the annotations' -5 is not a prediction). Errors name the file and line.</summary>
    public static ValenceArousalPredictionTrack Parse(TextReader reader, string path)
    {
        var valence = new List<float>();
        var arousal = new List<float>();
        bool headerSeen = false;
        foreach (var line in TextLines.Read(reader))
        {
            if (!headerSeen)
            {
                if (!IsHeader(line.Text))
                    throw VideoFerException.InFile(path, $"expected the header '{Header}', got {TextLines.Quote(line.Text, 80)}", line.Number);
                headerSeen = true;
                continue;
            }
            if (line.IsBlank || line.Text.Split(',') is not { Length: 2 } fields)
                throw VideoFerException.InFile(path, $"expected 'valence,arousal' (two numbers), got {(line.IsBlank ? "an empty line" : TextLines.Quote(line.Text))}", line.Number);
            var error = ParsePair(fields, out float v, out float a);
            if (error != null)
                throw VideoFerException.InFile(path, error, line.Number);
            valence.Add(v);
            arousal.Add(a);
        }
        if (!headerSeen)
            throw VideoFerException.InFile(path, $"expected the header '{Header}', got an empty file", 1);
        if (valence.Count == 0)
            throw VideoFerException.InFile(path, "no prediction after the header: one 'valence,arousal' line per video frame is needed", 2);
        return new ValenceArousalPredictionTrack(System.IO.Path.GetFileNameWithoutExtension(path), path, valence.ToArray(), arousal.ToArray());
    }

    public static ValenceArousalPredictionTrack Read(string path)
    {
        using var reader = TextLines.Open(path);
        return Parse(reader, path);
    }

    static bool IsHeader(string line)
    {
        var parts = line.Split(',');
        return parts.Length == 2 && parts[0].Trim().Equals("valence", StringComparison.OrdinalIgnoreCase)
            && parts[1].Trim().Equals("arousal", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Two prediction fields to numbers; an error message or null.</summary>
    internal static string? ParsePair(string[] fields, out float valence, out float arousal)
    {
        valence = arousal = 0;
        for (int k = 0; k < 2; k++)
        {
            string name = k == 0 ? "valence" : "arousal";
            if (!InvariantNumbers.TryDouble(fields[k], out double value))
                return $"expected a number for {name}, got {TextLines.Quote(fields[k])}";
            if (value is < -1 or > 1)
                return $"{name} {TextLines.Quote(fields[k].Trim())} is outside [-1, 1]";
            if (k == 0) valence = (float)value; else arousal = (float)value;
        }
        return null;
    }
}
