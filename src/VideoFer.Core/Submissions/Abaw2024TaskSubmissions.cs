using VideoFer.Datasets.AffWild2;
using VideoFer.IO;

namespace VideoFer.Submissions;

/// <summary>The single-CSV VA submission of ABAW6 (2024): header <c>image_location,valence,arousal</c>,
/// then <c>&lt;stem&gt;/&lt;NNNNN&gt;.jpg,v,a</c> for every frame 1..N of every test video. Values are
/// written as <see cref="ValenceArousalSubmission"/> writes them (clamped to [-1, 1], NaN refused).</summary>
public static class Abaw2024ValenceArousalSubmission
{
    public const string Header = Abaw2024Submission.LocationColumn + "," + ValenceArousalSubmission.Header;

    /// <summary>Writes all videos, in the order given, atomically.</summary>
    public static void Write(string path, IEnumerable<(string Stem, IReadOnlyList<float> Valence, IReadOnlyList<float> Arousal)> tracks)
    {
        var list = tracks.ToList();
        foreach (var (stem, valence, arousal) in list)
        {
            ImageLocation.CheckStem(stem, nameof(tracks));
            ValenceArousalSubmission.Check(valence, arousal, stem);
        }
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Header);
            foreach (var (stem, valence, arousal) in list)
                for (int i = 0; i < valence.Count; i++)
                    w.WriteLine($"{ImageLocation.Format(stem, i + 1)},{ValenceArousalSubmission.Format(valence[i])},{ValenceArousalSubmission.Format(arousal[i])}");
        });
    }

    /// <summary>One track per stem (order of first appearance). Rows may come in any order; each stem's
    /// frames must be 1..N, each once. Errors name the file and line.</summary>
    public static IReadOnlyList<ValenceArousalPredictionTrack> Parse(TextReader reader, string path)
    {
        var rows = ImageLocation.ReadRows<(float V, float A)>(reader, path, Header,
            columns => columns.Length == 2 && columns[0].Trim().Equals("valence", StringComparison.OrdinalIgnoreCase)
                && columns[1].Trim().Equals("arousal", StringComparison.OrdinalIgnoreCase) ? null : "",
            (string[] fields, out (float V, float A) value) =>
            {
                value = default;
                if (fields.Length != 2)
                    return $"expected '<stem>/<NNNNN>.jpg,valence,arousal', got {fields.Length + 1} fields";
                var error = ValenceArousalSubmission.ParsePair(fields, out float v, out float a);
                value = (v, a);
                return error;
            });
        return rows.Select(r => new ValenceArousalPredictionTrack(r.Stem, path,
            r.Rows.Select(x => x.V).ToArray(), r.Rows.Select(x => x.A).ToArray())).ToList();
    }

    public static IReadOnlyList<ValenceArousalPredictionTrack> Read(string path)
    {
        using var reader = Formats.TextLines.Open(path);
        return Parse(reader, path);
    }
}

/// <summary>The single-CSV AU submission of ABAW6 (2024): header <c>image_location,AU1,...,AU26</c>,
/// then <c>&lt;stem&gt;/&lt;NNNNN&gt;.jpg,0,1,...</c> for every frame 1..N of every test video.</summary>
public static class Abaw2024ActionUnitSubmission
{
    public static string Header(IReadOnlyList<string> names) => Abaw2024Submission.LocationColumn + "," + AbawActionUnits.Header(names);

    /// <summary>Writes all videos (frame-major 0/1, <c>names.Count</c> per frame), in the order given, atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> names, IEnumerable<(string Stem, IReadOnlyList<sbyte> Values)> tracks)
    {
        var list = tracks.ToList();
        foreach (var (stem, values) in list)
        {
            ImageLocation.CheckStem(stem, nameof(tracks));
            ActionUnitSubmission.Check(names, values, stem);
        }
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Header(names));
            foreach (var (stem, values) in list)
                ActionUnitSubmission.WriteRows(w, names.Count, values, frame => ImageLocation.Format(stem, frame));
        });
    }

    /// <summary>One track per stem (order of first appearance). <paramref name="expectedNames"/>, if given,
    /// must be the header's AU columns exactly. Errors name the file and line.</summary>
    public static IReadOnlyList<ActionUnitPredictionTrack> Parse(TextReader reader, string path, IReadOnlyList<string>? expectedNames = null)
    {
        IReadOnlyList<string>? names = null;
        var expected = expectedNames != null ? Header(expectedNames) : Abaw2024Submission.LocationColumn + ",AU1,AU2,...";
        var rows = ImageLocation.ReadRows<sbyte[]>(reader, path, expected,
            columns =>
            {
                names = AbawActionUnits.ParseHeader(string.Join(",", columns));
                return names != null && (expectedNames == null || names.SequenceEqual(expectedNames)) ? null : "";
            },
            (string[] fields, out sbyte[] value) =>
            {
                var decisions = new List<sbyte>(fields.Length);
                var error = ActionUnitSubmission.ParseDecisions(fields, names!, decisions);
                value = decisions.ToArray();
                return error;
            });
        return rows.Select(r => new ActionUnitPredictionTrack(r.Stem, path, names!, r.Rows.SelectMany(x => x).ToArray())).ToList();
    }

    public static IReadOnlyList<ActionUnitPredictionTrack> Read(string path, IReadOnlyList<string>? expectedNames = null)
    {
        using var reader = Formats.TextLines.Open(path);
        return Parse(reader, path, expectedNames);
    }
}
