using VideoFer.Datasets;

namespace VideoFer.Scoring;

/// <summary>VA or AU predictions to score, in either submission format: a folder of per-video
/// <c>&lt;stem&gt;.txt</c> files, or a 2024 CSV (the file, or a folder holding exactly one CSV).
/// Per-video files are read when asked for.</summary>
sealed class TaskPredictions<T> where T : class
{
    readonly string? _directory;
    readonly Dictionary<string, T>? _csv;
    readonly Func<string, T> _readFile;

    TaskPredictions(string source, string? directory, Dictionary<string, T>? csv, Func<string, T> readFile)
    {
        Source = source;
        _directory = directory;
        _csv = csv;
        _readFile = readFile;
    }

    public string Source { get; }
    public bool IsCsv => _csv != null;

    public static TaskPredictions<T> Open(string path, string task, Func<string, IEnumerable<T>> readCsv, Func<T, string> stemOf, Func<string, T> readFile)
    {
        if (File.Exists(path))
            return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? FromCsv(Path.GetFullPath(path), readCsv, stemOf, readFile)
                : throw new VideoFerException($"{path}: expected a folder of <stem>.txt {task} predictions or a 2024 submission .csv file");
        var dir = DirectoryLookup.RequireDirectory(path, $"the {task} prediction folder");
        if (Directory.GetFiles(dir, "*.txt").Length > 0)
            return new TaskPredictions<T>(dir, dir, null, readFile);
        var csvs = Directory.GetFiles(dir, "*.csv");
        return csvs.Length switch
        {
            1 => FromCsv(csvs[0], readCsv, stemOf, readFile),
            0 => throw new VideoFerException($"{dir}: no {task} predictions found; expected <stem>.txt files or one 2024 submission .csv"),
            _ => throw new VideoFerException($"{dir}: {csvs.Length} .csv files; pass the submission file itself"),
        };
    }

    static TaskPredictions<T> FromCsv(string file, Func<string, IEnumerable<T>> readCsv, Func<T, string> stemOf, Func<string, T> readFile) =>
        new(file, null, readCsv(file).ToDictionary(stemOf, StringComparer.Ordinal), readFile);

    /// <summary>The file a stem's predictions are (or would be) in.</summary>
    public string LocationOf(string stem) => _csv != null ? Source : Path.Combine(_directory!, stem + ".txt");

    /// <summary>A stem's predictions, or null when the folder has no file or the CSV no row for it.</summary>
    public T? For(string stem)
    {
        if (_csv != null)
            return _csv.GetValueOrDefault(stem);
        var file = LocationOf(stem);
        return File.Exists(file) ? _readFile(file) : null;
    }

    public IEnumerable<string> Stems() =>
        _csv?.Keys ?? Directory.GetFiles(_directory!, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>();

    /// <summary>The error of a stem with no predictions, naming where they were expected.</summary>
    public VideoFerException Missing(string stem) => _csv != null
        ? VideoFerException.InFile(Source, $"no rows for video {stem}: every ground-truth video needs a prediction for every frame")
        : VideoFerException.InFile(LocationOf(stem), "missing: every ground-truth video needs a prediction file");

    /// <summary>Checks a video's prediction count against its annotation count (a difference of
    /// <see cref="SubmissionScorer.ToleratedFrameDifference"/> is tolerated, as for expressions).
    /// Returns the frames both have; adds a tolerated difference to <paramref name="tolerated"/>.</summary>
    public int CommonFrames(string stem, int annotated, int predicted, List<ToleratedCount> tolerated)
    {
        int difference = predicted - annotated;
        if (Math.Abs(difference) > SubmissionScorer.ToleratedFrameDifference)
            throw VideoFerException.InFile(LocationOf(stem),
                $"{predicted} predictions for video {stem}, whose annotation has {annotated} frames; " +
                $"expected {annotated} (a difference of {SubmissionScorer.ToleratedFrameDifference} frame is tolerated)",
                IsCsv ? null : predicted + 1);
        if (difference != 0)
            tolerated.Add(new ToleratedCount(stem, annotated, predicted));
        return Math.Min(annotated, predicted);
    }

    /// <summary>Each ground-truth track with its predictions and the frames both have (<see cref="CommonFrames"/>). A track
    /// without predictions fails (<see cref="Missing"/>), or with <paramref name="allowMissing"/> is added to
    /// <paramref name="missing"/> and skipped.</summary>
    public IEnumerable<(VideoTrack Track, T Predicted, int Frames)> Matched(IEnumerable<VideoTrack> tracks, Func<VideoTrack, int> annotatedFrames,
        Func<T, int> predictedFrames, bool allowMissing, List<string> missing, List<ToleratedCount> tolerated)
    {
        foreach (var track in tracks)
        {
            var predicted = For(track.Stem);
            if (predicted == null)
            {
                if (!allowMissing) throw Missing(track.Stem);
                missing.Add(track.Stem);
                continue;
            }
            yield return (track, predicted, CommonFrames(track.Stem, annotatedFrames(track), predictedFrames(predicted), tolerated));
        }
    }

    public List<string> Unused(IEnumerable<string> truthStems)
    {
        var known = truthStems.ToHashSet(StringComparer.Ordinal);
        return Stems().Where(s => !known.Contains(s)).Order(StringComparer.Ordinal).ToList();
    }
}
