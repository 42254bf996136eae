using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>The labels of one stem read from a multi-task annotation file: frames 1..FrameCount,
/// indexed by frame - 1; frames the file does not list are unannotated in every task.</summary>
/// <param name="Expressions">Expression label per frame, -1 where unannotated.</param>
/// <param name="ValenceArousal">Valence and arousal per frame, NaN where unannotated.</param>
/// <param name="ActionUnits">AUs per frame, -1 where unannotated.</param>
/// <param name="FirstLine">The file line of the stem's first row, for messages.</param>
public sealed record MultiTaskStem(string Stem, int[] Expressions, ValenceArousalLabels ValenceArousal, ActionUnitLabels ActionUnits, int FirstLine)
{
    public int FrameCount => Expressions.Length;
}

/// <summary>Parses the multi-task (MTL) annotation files of the 2022 ABAW competitions (s-Aff-Wild2):
/// <c>training_set_annotations.txt</c> / <c>validation_set_annotations.txt</c> (ABAW4, and ABAW3's
/// <c>MTL_Challenge/train_set.txt</c> / <c>validation_set.txt</c>). The header is
/// <c>image,valence,arousal,expression,AU1,...,AU26</c>; each row
/// <c>&lt;stem&gt;/&lt;NNNNN&gt;.jpg,v,a,e,au...</c> labels one frame, the frame number taken from the image
/// name. -5 marks unannotated valence-arousal, -1 an unannotated expression and -1 an unannotated AU.
/// Expressions are 0..7 (the eight classes with Other).</summary>
public static class MultiTaskAnnotationFile
{
    /// <summary>File names of the training and validation files, most usual first.</summary>
    public static readonly IReadOnlyList<string> TrainFiles = ["training_set_annotations.txt", "train_set.txt"];
    public static readonly IReadOnlyList<string> ValidationFiles = ["validation_set_annotations.txt", "validation_set.txt"];

    /// <summary>Expression classes of the MTL files (with Other).</summary>
    public const int ClassCount = 8;

    const int FixedColumns = 4; // image, valence, arousal, expression

    /// <summary>The header line for a list of AUs.</summary>
    public static string Header(IReadOnlyList<string> actionUnits) =>
        "image,valence,arousal,expression," + AbawActionUnits.Header(actionUnits);

    /// <summary>Reads a file from disk (see <see cref="Parse"/>).</summary>
    public static IReadOnlyList<MultiTaskStem> Read(string path, ReadOptions? options = null, IReadOnlyList<string>? expectedActionUnits = null)
    {
        using var reader = TextLines.Open(path);
        return Parse(reader, path, options, expectedActionUnits);
    }

    /// <summary>Every stem of a file, ordered by stem (ordinal). A malformed row, or a frame listed
    /// twice, is an error naming the line (in lenient mode: reported and skipped). The header's first
    /// column may have any name; the next three must be valence, arousal, expression, the rest AU names
    /// (checked against <paramref name="expectedActionUnits"/> when given).</summary>
    public static IReadOnlyList<MultiTaskStem> Parse(TextReader reader, string path, ReadOptions? options = null, IReadOnlyList<string>? expectedActionUnits = null)
    {
        options ??= ReadOptions.Strict;
        using var lines = TextLines.Read(reader).GetEnumerator();
        if (!lines.MoveNext())
            throw VideoFerException.InFile(path, $"expected the header '{Header(expectedActionUnits ?? AbawActionUnits.Since2021)}', got an empty file", 1);
        var names = ParseHeader(lines.Current, path, expectedActionUnits);

        var stems = new Dictionary<string, StemBuilder>(StringComparer.Ordinal);
        var auRow = new sbyte[names.Count];
        while (lines.MoveNext())
        {
            var line = lines.Current;
            var problem = ParseRow(line.Text, auRow, out var stem, out int frame, out float valence, out float arousal, out int expression);
            if (problem == null)
            {
                if (!stems.TryGetValue(stem, out var builder))
                    stems[stem] = builder = new StemBuilder(stem, names.Count, line.Number);
                if (builder.LineOf(frame) is int earlier)
                    problem = $"frame {frame} of {stem} is already labelled at line {earlier}";
                else
                    builder.Add(line.Number, frame, expression, valence, arousal, auRow);
            }
            if (problem != null)
                options.Malformed(path, line.Number, problem, "row skipped");
        }
        return stems.Values.OrderBy(s => s.Stem, StringComparer.Ordinal).Select(s => s.Build(names)).ToList();
    }

    static IReadOnlyList<string> ParseHeader(NumberedLine header, string path, IReadOnlyList<string>? expected)
    {
        string Expected() => $"expected the header '{Header(expected ?? AbawActionUnits.Since2021)}', got {TextLines.Quote(header.Text, 100)}";
        var fields = header.Text.Split(',');
        if (fields.Length <= FixedColumns || fields[0].Trim().Length == 0
            || !fields[1].Trim().Equals("valence", StringComparison.OrdinalIgnoreCase)
            || !fields[2].Trim().Equals("arousal", StringComparison.OrdinalIgnoreCase)
            || !fields[3].Trim().Equals("expression", StringComparison.OrdinalIgnoreCase))
            throw VideoFerException.InFile(path, Expected(), header.Number);
        var auPart = string.Join(',', fields.Skip(FixedColumns));
        if (!AbawActionUnits.TryParseHeader(auPart, out var names, out var problem))
            throw VideoFerException.InFile(path, problem, header.Number);
        if (expected != null && AbawActionUnits.Mismatch(names, expected) is string mismatch)
            throw VideoFerException.InFile(path, $"the header's AUs are not the multi-task list '{AbawActionUnits.Header(expected)}': {mismatch}", header.Number);
        return names;
    }

    static string? ParseRow(string text, sbyte[] aus, out string stem, out int frame, out float valence, out float arousal, out int expression)
    {
        stem = "";
        frame = 0;
        valence = arousal = float.NaN;
        expression = -1;
        int columns = FixedColumns + aus.Length;
        if (string.IsNullOrWhiteSpace(text))
            return $"expected {columns} comma-separated fields (image,valence,arousal,expression and {aus.Length} AUs), got an empty line";
        var fields = text.Split(',');
        if (fields.Length != columns)
            return $"expected {columns} comma-separated fields (image,valence,arousal,expression and {aus.Length} AUs), got {fields.Length} in {TextLines.Quote(text, 80)}";

        var image = fields[0].Trim();
        int slash = image.LastIndexOf('/');
        if (slash <= 0 || image.IndexOfAny(['\\', ' ', '\t', '\0']) >= 0 || image.IndexOf('/') != slash
            || !CroppedAlignedImages.TryFrameNumber(image[(slash + 1)..], out frame))
            return $"expected an image name '<video>/NNNNN.jpg' (frame number from 00001), got {TextLines.Quote(image)}";
        stem = image[..slash];

        if (ValenceArousalFile.ParseValue(fields[1], "valence", out double v) is string valenceProblem)
            return valenceProblem;
        if (ValenceArousalFile.ParseValue(fields[2], "arousal", out double a) is string arousalProblem)
            return arousalProblem;
        if (v != ValenceArousalFile.Unannotated && a != ValenceArousalFile.Unannotated)
        {
            valence = (float)v;
            arousal = (float)a;
        }
        if (!InvariantNumbers.TryInt(fields[3], out expression) || expression is < -1 or >= ClassCount)
            return $"expected an expression label from -1 to {ClassCount - 1}, got {TextLines.Quote(fields[3].Trim())}";
        return ActionUnitFile.TryParseValues(fields, FixedColumns, aus, text);
    }

    /// <summary>Rows of one stem gathered in file order, laid out by frame at the end.</summary>
    sealed class StemBuilder(string stem, int auCount, int firstLine)
    {
        readonly Dictionary<int, int> _lineOfFrame = [];
        readonly List<(int Frame, int Expression, float Valence, float Arousal)> _rows = [];
        readonly List<sbyte> _aus = [];

        public string Stem => stem;

        public int? LineOf(int frame) => _lineOfFrame.TryGetValue(frame, out int line) ? line : null;

        public void Add(int line, int frame, int expression, float valence, float arousal, sbyte[] aus)
        {
            _lineOfFrame[frame] = line;
            _rows.Add((frame, expression, valence, arousal));
            _aus.AddRange(aus);
        }

        public MultiTaskStem Build(IReadOnlyList<string> names)
        {
            int count = _rows.Max(r => r.Frame);
            var expressions = Enumerable.Repeat(-1, count).ToArray();
            var valence = Enumerable.Repeat(float.NaN, count).ToArray();
            var arousal = Enumerable.Repeat(float.NaN, count).ToArray();
            var aus = Enumerable.Repeat((sbyte)-1, count * auCount).ToArray();
            for (int i = 0; i < _rows.Count; i++)
            {
                var (frame, expression, v, a) = _rows[i];
                expressions[frame - 1] = expression;
                valence[frame - 1] = v;
                arousal[frame - 1] = a;
                for (int j = 0; j < auCount; j++)
                    aus[(frame - 1) * auCount + j] = _aus[i * auCount + j];
            }
            return new MultiTaskStem(stem, expressions, new ValenceArousalLabels(valence, arousal), new ActionUnitLabels(names, aus), firstLine);
        }
    }
}
