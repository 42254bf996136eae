using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>One frame's label read from an annotation or per-video prediction file.</summary>
public readonly record struct FrameLabel(int Frame, int Label);

/// <summary>Parses the per-track text format shared by Aff-Wild2 expression annotations and the
/// per-video test submissions: a header line, then one integer per video frame (data line k is
/// frame k). Labels are read lazily; the header is read on construction.</summary>
public sealed class ExpressionLabelFile : IDisposable
{
    readonly TextReader _reader;
    readonly IEnumerator<NumberedLine> _lines;
    readonly string _path;
    readonly ReadOptions _options;
    readonly bool _allowIgnore;
    bool _started;

    /// <summary>Classes declared by the header: 7 or 8.</summary>
    public int ClassCount { get; }

    /// <summary>Data lines (frames) seen so far by <see cref="Labels"/>, skipped ones included.</summary>
    public int FramesSeen { get; private set; }

    /// <summary>Parses from a reader; <paramref name="path"/> only names the source in messages.</summary>
    /// <param name="allowIgnore">Annotations allow -1 (ignore this frame); predictions do not.</param>
    /// <param name="expectedClassCount">If set, a header for another class count is an error.</param>
    public ExpressionLabelFile(TextReader reader, string path, ReadOptions? options = null, bool allowIgnore = true, int? expectedClassCount = null)
    {
        _reader = reader;
        _path = path;
        _options = options ?? ReadOptions.Strict;
        _allowIgnore = allowIgnore;
        _lines = TextLines.Read(reader).GetEnumerator();
        if (!_lines.MoveNext())
            throw VideoFerException.InFile(path, ExpressionHeader.Expected("") + " (the file is empty)", 1);
        var first = _lines.Current;
        int? count = ExpressionHeader.ClassCount(first.Text);
        if (count is null || (expectedClassCount is int e && e != count))
            throw VideoFerException.InFile(path, ExpressionHeader.Expected(first.Text, expectedClassCount), first.Number);
        ClassCount = count.Value;
    }

    /// <summary>Opens and parses a file on disk.</summary>
    public static ExpressionLabelFile Open(string path, ReadOptions? options = null, bool allowIgnore = true, int? expectedClassCount = null)
    {
        var reader = TextLines.Open(path);
        try
        {
            return new ExpressionLabelFile(reader, path, options, allowIgnore, expectedClassCount);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Frame labels in file order. In lenient mode a malformed line is reported and its frame
    /// skipped (the frame numbers of later lines do not shift). Enumerate once.</summary>
    public IEnumerable<FrameLabel> Labels()
    {
        if (_started)
            throw new InvalidOperationException("The labels of an ExpressionLabelFile can be enumerated once.");
        _started = true;
        int min = _allowIgnore ? -1 : 0;
        while (_lines.MoveNext())
        {
            var line = _lines.Current;
            int frame = line.Number - 1; // line 1 is the header
            FramesSeen = frame;
            if (InvariantNumbers.TryInt(line.Text, out int label) && label >= min && label < ClassCount)
                yield return new FrameLabel(frame, label);
            else
                _options.Malformed(_path, line.Number, line.IsBlank
                    ? $"expected one integer label from {min} to {ClassCount - 1}, got an empty line"
                    : $"expected one integer label from {min} to {ClassCount - 1}, got {TextLines.Quote(line.Text)}");
        }
    }

    /// <summary>Reads every label into an array indexed by frame - 1; frames skipped in lenient mode hold -1.</summary>
    public int[] ReadAll()
    {
        var labels = new List<int>();
        foreach (var (frame, label) in Labels())
        {
            while (labels.Count < frame - 1) labels.Add(-1);
            labels.Add(label);
        }
        while (labels.Count < FramesSeen) labels.Add(-1);
        return labels.ToArray();
    }

    public void Dispose()
    {
        _lines.Dispose();
        _reader.Dispose();
    }
}
