using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>Where predict wrote its results, and the numbers of its summary.</summary>
public sealed record PredictionOutputs(string Directory, string Csv, IReadOnlyList<string> LabelFiles, string? Annotated, IReadOnlyList<string> Timelines)
{
    /// <summary>Writes every output of <paramref name="prediction"/> into <paramref name="directory"/>.</summary>
    public static PredictionOutputs Write(string directory, VideoPrediction prediction, bool annotate = true, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "predictions.csv");
        PredictionCsv.Write(csv, prediction);
        var labels = AbawLabels.Write(Path.Combine(directory, "abaw"), prediction);
        string? annotated = annotate ? AnnotatedVideo.Write(Path.Combine(directory, "annotated"), prediction, ct) : null;
        var timelines = TimelinePlot.Write(directory, prediction);
        return new PredictionOutputs(directory, csv, labels, annotated, timelines);
    }

    /// <summary>Writes every output of <paramref name="prediction"/> into a held output folder as one set:
    /// staged, then swapped in place of the previous run's outputs (see <see cref="OutputFolder"/>), so
    /// the folder never mixes two runs and a kill never leaves a complete-looking half.</summary>
    public static PredictionOutputs Write(OutputFolder folder, VideoPrediction prediction, bool annotate = true, CancellationToken ct = default)
    {
        string staging = folder.Stage();
        PredictionOutputs staged;
        try
        {
            staged = Write(staging, prediction, annotate, ct);
            folder.Commit(staging, System.IO.Path.GetFullPath(prediction.Source));
        }
        catch
        {
            PathGuard.Delete(folder.Root, staging);
            throw;
        }
        string Final(string path) => System.IO.Path.Combine(folder.Root, System.IO.Path.GetRelativePath(staging, path));
        return new PredictionOutputs(folder.Root, Final(staged.Csv), staged.LabelFiles.Select(Final).ToList(),
            staged.Annotated is { } a ? Final(a) : null, staged.Timelines.Select(Final).ToList());
    }

    /// <summary>The summary predict prints with --json.</summary>
    public static Dictionary<string, object?> Summary(VideoPrediction p, PredictionOutputs? outputs) => new()
    {
        ["source"] = p.Source,
        ["frames"] = p.Frames,
        ["frames_with_face"] = p.FramesWithFace,
        ["tracks"] = p.Tracks.Count,
        ["faces"] = p.Records.Count,
        ["label_counts"] = p.LabelCounts.ToDictionary(x => x.Name, x => x.Count),
        ["fps"] = Math.Round(p.ProcessingFps, 2),
        ["video_fps"] = p.VideoFps,
        ["seconds"] = Math.Round(p.Seconds, 2),
        ["model"] = p.Model,
        ["csv"] = outputs?.Csv,
        ["abaw"] = outputs?.LabelFiles,
        ["annotated"] = outputs?.Annotated,
        ["timelines"] = outputs?.Timelines,
    };
}
