using VideoFer.Datasets.AffWild2;
using VideoFer.Formats;

namespace VideoFer.Submissions;

/// <summary>The <c>&lt;stem&gt;/&lt;NNNNN&gt;.jpg</c> first column of the 2024 (ABAW6) CSV submissions,
/// and the per-stem collection of their rows.</summary>
static class ImageLocation
{
    public static string Format(string stem, int frame) => $"{stem}/{CroppedAlignedImages.FileName(frame)}";

    public static void CheckStem(string stem, string parameter)
    {
        if (stem.Length == 0 || stem.IndexOfAny(['/', ',', '"', '\n', '\r']) >= 0)
            throw new ArgumentException($"'{stem}' cannot be a stem in the CSV", parameter);
    }

    public static bool TryParse(string text, out string stem, out int frame)
    {
        var location = text.Trim();
        int slash = location.LastIndexOf('/');
        stem = slash > 0 ? location[..slash] : "";
        frame = 0;
        return slash > 0 && CroppedAlignedImages.TryFrameNumber(location[(slash + 1)..], out frame);
    }

    /// <summary>Reads a CSV whose header is <c>image_location,&lt;columns&gt;</c>: <paramref name="header"/>
    /// checks the columns after the first (returns an error message or null), <paramref name="row"/>
    /// parses the fields after the location (returns an error message or null). Rows may come in any
    /// order; each stem's frames must be 1..N, each once. Stems come back in order of first appearance.</summary>
    public static List<(string Stem, List<T> Rows)> ReadRows<T>(TextReader reader, string path, string expectedHeader,
        Func<string[], string?> header, RowParser<T> row)
    {
        bool headerSeen = false;
        var frames = new Dictionary<string, Dictionary<int, T>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in TextLines.Read(reader))
        {
            var fields = line.IsBlank ? null : CsvFields.Split(line.Text);
            if (!headerSeen)
            {
                string? problem = fields == null || fields.Length < 2
                    || !fields[0].Trim().Equals(Abaw2024Submission.LocationColumn, StringComparison.OrdinalIgnoreCase)
                    ? "" : header(fields[1..]);
                if (problem != null)
                    throw VideoFerException.InFile(path, $"expected the header '{expectedHeader}', got {TextLines.Quote(line.Text, 80)}{problem}", line.Number);
                headerSeen = true;
                continue;
            }
            if (fields == null || fields.Length < 2)
                throw VideoFerException.InFile(path, $"expected '<stem>/<NNNNN>.jpg,...' as the header says, got {(line.IsBlank ? "an empty line" : TextLines.Quote(line.Text))}", line.Number);
            if (!TryParse(fields[0], out var stem, out int frame))
                throw VideoFerException.InFile(path, $"expected an image location '<stem>/<NNNNN>.jpg', got {TextLines.Quote(fields[0])}", line.Number);
            var error = row(fields[1..], out T value);
            if (error != null)
                throw VideoFerException.InFile(path, error, line.Number);
            if (!frames.TryGetValue(stem, out var track))
            {
                frames[stem] = track = new Dictionary<int, T>();
                order.Add(stem);
            }
            if (!track.TryAdd(frame, value))
                throw VideoFerException.InFile(path, $"a second row for {Format(stem, frame)}", line.Number);
        }
        if (!headerSeen)
            throw VideoFerException.InFile(path, $"expected the header '{expectedHeader}', got an empty file", 1);
        var result = new List<(string, List<T>)>();
        foreach (var stem in order)
        {
            var track = frames[stem];
            var rows = new List<T>(track.Count);
            for (int f = 1; f <= track.Count; f++)
                rows.Add(track.TryGetValue(f, out var v) ? v
                    : throw VideoFerException.InFile(path, $"no row for {Format(stem, f)}, but rows up to frame {track.Keys.Max()}: every frame from 00001 needs a row"));
            result.Add((stem, rows));
        }
        return result;
    }

    public delegate string? RowParser<T>(string[] fields, out T value);
}
