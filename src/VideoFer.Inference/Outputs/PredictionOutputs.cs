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
