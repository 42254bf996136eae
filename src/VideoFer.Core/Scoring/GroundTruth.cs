using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Scoring;

/// <summary>The annotations of one track, all in memory (validation sets are small).</summary>
public sealed record GroundTruthTrack(string Stem, string Path, int ClassCount, int[] Labels);

/// <summary>Loads the ground truth a submission is scored against.</summary>
public static class GroundTruth
{
    /// <summary>A folder of <c>&lt;stem&gt;.txt</c> annotation files (e.g. a Validation_Set folder), or an
    /// Aff-Wild2 root / annotations folder / edition folder, whose validation split is then used.
    /// Files are read strictly. <paramref name="classCount"/>, if set, must match every header;
    /// otherwise the first file's header decides and the others must agree.</summary>
    public static IReadOnlyList<GroundTruthTrack> Load(string directory, int? classCount = null)
    {
        directory = DirectoryLookup.RequireDirectory(directory, "the ground-truth folder");
        var files = AnnotationFiles(directory);
        if (files.Count == 0)
            files = AnnotationFiles(AffWild2Layout.Detect(directory).SplitDirectory(Splits.Validation));
        if (files.Count == 0)
            throw new VideoFerException($"{directory}: no annotation files (<stem>.txt) found");
        var tracks = new List<GroundTruthTrack>();
        foreach (var file in files)
        {
            using var labels = ExpressionLabelFile.Open(file, ReadOptions.Strict, allowIgnore: true, expectedClassCount: classCount);
            classCount ??= labels.ClassCount;
            tracks.Add(new GroundTruthTrack(Path.GetFileNameWithoutExtension(file), file, labels.ClassCount, labels.ReadAll()));
        }
        return tracks;
    }

    // Test-set list files can sit beside annotation files; they are not annotations.
    static List<string> AnnotationFiles(string directory) =>
        DirectoryLookup.SafeList(() => Directory.GetFiles(directory, "*.txt"))
            .Where(f => !AffWild2Editions.TestListFiles.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
}
