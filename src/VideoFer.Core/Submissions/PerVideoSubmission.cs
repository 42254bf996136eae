using VideoFer.Datasets.AffWild2;
using VideoFer.IO;

namespace VideoFer.Submissions;

/// <summary>Predictions for one track read from a per-video submission file.</summary>
public sealed record PredictionTrack(string Stem, string Path, int ClassCount, int[] Labels);

/// <summary>The per-video submission format of ABAW 2020/2021/2022: <c>&lt;stem&gt;.txt</c> with the
/// annotation header (7 or 8 classes), then one label per video frame — every frame, including
/// frames without a detected face.</summary>
public static class PerVideoSubmission
{
    /// <summary>Writes one track's predictions atomically.</summary>
    public static void Write(string path, IReadOnlyList<int> labels, int classCount)
    {
        var header = ExpressionHeader.For(classCount);
        for (int i = 0; i < labels.Count; i++)
            if ((uint)labels[i] >= classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), $"frame {i + 1}: label {labels[i]} is not a class 0..{classCount - 1}");
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(header);
            foreach (int label in labels)
                w.WriteLine(label);
        });
    }

    /// <summary>Writes <c>&lt;dir&gt;/&lt;stem&gt;.txt</c> for every track.</summary>
    public static void WriteAll(string directory, IEnumerable<(string Stem, IReadOnlyList<int> Labels)> tracks, int classCount)
    {
        foreach (var (stem, labels) in tracks)
            Write(Path.Combine(directory, stem + ".txt"), labels, classCount);
    }

    /// <summary>Parses predictions; -1 is not a prediction. <paramref name="expectedClassCount"/>, if
    /// given, must match the header.</summary>
    public static PredictionTrack Parse(TextReader reader, string path, int? expectedClassCount = null)
    {
        using var file = new ExpressionLabelFile(reader, path, allowIgnore: false, expectedClassCount: expectedClassCount);
        var labels = file.ReadAll();
        return new PredictionTrack(System.IO.Path.GetFileNameWithoutExtension(path), path, file.ClassCount, labels);
    }

    public static PredictionTrack Read(string path, int? expectedClassCount = null)
    {
        using var reader = Formats.TextLines.Open(path);
        return Parse(reader, path, expectedClassCount);
    }
}
