using VideoFer.Datasets;
using VideoFer.Submissions;

namespace VideoFer.Scoring;

/// <summary>Predictions to score, in either submission format: a folder of per-video
/// <c>&lt;stem&gt;.txt</c> files, or a 2024 CSV (given as the file, or as a folder holding exactly one CSV).</summary>
public sealed class PredictionSet
{
    readonly string? _directory;
    readonly Dictionary<string, PredictionTrack>? _csvTracks;
    readonly int? _classCount;

    PredictionSet(string source, string? directory, Dictionary<string, PredictionTrack>? csvTracks, int? classCount)
    {
        Source = source;
        _directory = directory;
        _csvTracks = csvTracks;
        _classCount = classCount;
    }

    /// <summary>The folder or CSV file read.</summary>
    public string Source { get; }

    public bool IsCsv => _csvTracks != null;

    public static PredictionSet Open(string path, int? classCount)
    {
        if (File.Exists(path))
            return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? FromCsv(Path.GetFullPath(path), classCount)
                : throw new VideoFerException($"{path}: expected a folder of <stem>.txt predictions or a 2024 submission .csv file");
        var dir = DirectoryLookup.RequireDirectory(path, "the prediction folder");
        if (Directory.GetFiles(dir, "*.txt").Length > 0)
            return new PredictionSet(dir, dir, null, classCount);
        var csvs = Directory.GetFiles(dir, "*.csv");
        return csvs.Length switch
        {
            1 => FromCsv(csvs[0], classCount),
            0 => throw new VideoFerException($"{dir}: no predictions found; expected <stem>.txt files or one 2024 submission .csv"),
            _ => throw new VideoFerException($"{dir}: {csvs.Length} .csv files; pass the submission file itself"),
        };
    }

    static PredictionSet FromCsv(string file, int? classCount)
    {
        var tracks = Abaw2024Submission.Read(file, classCount).ToDictionary(t => t.Stem, StringComparer.Ordinal);
        return new PredictionSet(file, null, tracks, classCount);
    }

    /// <summary>The predictions for a stem; a missing file or CSV entry is an error naming what was expected.</summary>
    public PredictionTrack For(string stem, string groundTruthPath)
    {
        if (_csvTracks != null)
            return _csvTracks.TryGetValue(stem, out var track) ? track
                : throw VideoFerException.InFile(Source, $"no rows for video {stem} (ground truth {groundTruthPath})");
        var file = Path.Combine(_directory!, stem + ".txt");
        if (!File.Exists(file))
            throw VideoFerException.InFile(file, $"missing: every ground-truth video needs a prediction file (ground truth {groundTruthPath})");
        return PerVideoSubmission.Read(file, _classCount);
    }

    /// <summary>Stems that have predictions, for reporting the ones no ground truth asked for.</summary>
    public IEnumerable<string> Stems() =>
        _csvTracks?.Keys ?? Directory.GetFiles(_directory!, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>();
}
