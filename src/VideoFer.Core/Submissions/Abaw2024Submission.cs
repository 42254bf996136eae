using VideoFer.Datasets.AffWild2;
using VideoFer.Formats;
using VideoFer.IO;

namespace VideoFer.Submissions;

/// <summary>The single-CSV submission of ABAW6 (2024): header
/// <c>image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other</c>, then
/// <c>&lt;stem&gt;/&lt;NNNNN&gt;.jpg,&lt;label&gt;</c> for every frame 1..N of every test track.
/// A 7-class header (without Other) is read too.</summary>
public static class Abaw2024Submission
{
    public const string LocationColumn = "image_location";

    public static string Header(int classCount) => LocationColumn + "," + ExpressionHeader.For(classCount);

    /// <summary>Writes all tracks, in the order given, atomically.</summary>
    public static void Write(string path, IEnumerable<(string Stem, IReadOnlyList<int> Labels)> tracks, int classCount = 8)
    {
        var list = tracks.ToList();
        foreach (var (stem, labels) in list)
        {
            if (stem.Length == 0 || stem.IndexOfAny(['/', ',', '"', '\n', '\r']) >= 0)
                throw new ArgumentException($"'{stem}' cannot be a stem in the CSV", nameof(tracks));
            for (int i = 0; i < labels.Count; i++)
                if ((uint)labels[i] >= classCount)
                    throw new ArgumentOutOfRangeException(nameof(tracks), $"{stem} frame {i + 1}: label {labels[i]} is not a class 0..{classCount - 1}");
        }
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Header(classCount));
            foreach (var (stem, labels) in list)
                for (int i = 0; i < labels.Count; i++)
                    w.WriteLine($"{stem}/{i + 1:D5}.jpg,{labels[i]}");
        });
    }

    /// <summary>Parses a submission into one <see cref="PredictionTrack"/> per stem (in order of first
    /// appearance). Rows may come in any order, but each stem's frames must be 1..N, each exactly once.</summary>
    public static IReadOnlyList<PredictionTrack> Parse(TextReader reader, string path, int? expectedClassCount = null)
    {
        int classCount = 0;
        var frames = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in TextLines.Read(reader))
        {
            if (classCount == 0)
            {
                classCount = HeaderClassCount(line.Text) ?? 0;
                if (classCount == 0 || (expectedClassCount is int e && e != classCount))
                    throw VideoFerException.InFile(path, expectedClassCount is int n
                        ? $"expected the header '{Header(n)}', got {TextLines.Quote(line.Text, 80)}"
                        : $"expected the header '{Header(8)}' (or without ',Other' for 7 classes), got {TextLines.Quote(line.Text, 80)}",
                        line.Number);
                continue;
            }
            var (stem, frame, label) = ParseRow(line, path, classCount);
            if (!frames.TryGetValue(stem, out var track))
            {
                frames[stem] = track = new Dictionary<int, int>();
                order.Add(stem);
            }
            if (!track.TryAdd(frame, label))
                throw VideoFerException.InFile(path, $"a second row for {stem}/{frame:D5}.jpg", line.Number);
        }
        if (classCount == 0)
            throw VideoFerException.InFile(path, $"expected the header '{Header(8)}', got an empty file", 1);

        var result = new List<PredictionTrack>();
        foreach (var stem in order)
        {
            var track = frames[stem];
            var labels = new int[track.Count];
            for (int f = 1; f <= labels.Length; f++)
                labels[f - 1] = track.TryGetValue(f, out int l) ? l
                    : throw VideoFerException.InFile(path, $"no row for {stem}/{f:D5}.jpg, but rows up to frame {track.Keys.Max()}: every frame from 00001 needs a row");
            result.Add(new PredictionTrack(stem, path, classCount, labels));
        }
        return result;
    }

    public static IReadOnlyList<PredictionTrack> Read(string path, int? expectedClassCount = null)
    {
        using var reader = TextLines.Open(path);
        return Parse(reader, path, expectedClassCount);
    }

    static int? HeaderClassCount(string line)
    {
        int comma = line.IndexOf(',');
        if (comma < 0 || !line[..comma].Trim().Equals(LocationColumn, StringComparison.OrdinalIgnoreCase))
            return null;
        return ExpressionHeader.ClassCount(line[(comma + 1)..]);
    }

    static (string Stem, int Frame, int Label) ParseRow(NumberedLine line, string path, int classCount)
    {
        var fields = line.IsBlank ? null : CsvFields.Split(line.Text);
        if (fields == null || fields.Length != 2)
            throw VideoFerException.InFile(path, $"expected '<stem>/<NNNNN>.jpg,<label>', got {(line.IsBlank ? "an empty line" : TextLines.Quote(line.Text))}", line.Number);
        var location = fields[0].Trim();
        int slash = location.LastIndexOf('/');
        if (slash <= 0 || !CroppedAlignedImages.TryFrameNumber(location[(slash + 1)..], out int frame))
            throw VideoFerException.InFile(path, $"expected an image location '<stem>/<NNNNN>.jpg', got {TextLines.Quote(location)}", line.Number);
        if (!InvariantNumbers.TryInt(fields[1], out int label) || label < 0 || label >= classCount)
            throw VideoFerException.InFile(path, $"expected one integer label from 0 to {classCount - 1}, got {TextLines.Quote(fields[1])}", line.Number);
        return (location[..slash], frame, label);
    }
}
