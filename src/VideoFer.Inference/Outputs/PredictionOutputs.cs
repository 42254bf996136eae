using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>Where predict wrote its results, and the numbers of its summary. With people linked, the ABAW files
/// and timelines are per person, <see cref="PeopleCsv"/> and <see cref="Thumbnails"/> are written, and the per-track
/// ABAW files (abaw_tracks/) and timelines are there only when asked for (<c>--track-files</c>).</summary>
public sealed record PredictionOutputs(string Directory, string Csv, IReadOnlyList<string> LabelFiles, string? Annotated, IReadOnlyList<string> Timelines)
{
    public string? PeopleCsv { get; init; }
    public IReadOnlyDictionary<int, string> Thumbnails { get; init; } = new Dictionary<int, string>();
    public IReadOnlyList<string> TrackLabelFiles { get; init; } = [];
    public IReadOnlyList<string> TrackTimelines { get; init; } = [];
    /// <summary>report.html (<see cref="PredictionReport"/>), unless skipped.</summary>
    public string? Report { get; init; }

    /// <summary>Writes every output of <paramref name="prediction"/> into <paramref name="directory"/>.</summary>
    /// <remarks><paramref name="report"/>: also report.html, listing <paramref name="settings"/>.</remarks>
    public static PredictionOutputs Write(string directory, VideoPrediction prediction, bool annotate = true, CancellationToken ct = default,
        bool trackFiles = false, bool report = true, PredictionReport.Settings? settings = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "predictions.csv");
        PredictionCsv.Write(csv, prediction);
        var labels = AbawLabels.Write(Path.Combine(directory, "abaw"), prediction);
        var video = annotate ? AnnotatedVideo.Encode(Path.Combine(directory, "annotated"), prediction, ct) : null;
        var timelines = TimelinePlot.Write(directory, prediction);
        var result = new PredictionOutputs(directory, csv, labels, video?.Path, timelines);
        if (prediction.PeopleLinked)
        {
            var (peopleCsv, thumbnails) = PeopleSummary.Write(directory, prediction);
            result = result with
            {
                PeopleCsv = peopleCsv,
                Thumbnails = thumbnails,
                TrackLabelFiles = trackFiles ? AbawLabels.WriteTracks(Path.Combine(directory, "abaw_tracks"), prediction) : [],
                TrackTimelines = trackFiles ? TimelinePlot.WriteTracks(directory, prediction) : [],
            };
        }
        return report ? result with { Report = PredictionReport.Write(directory, prediction, result, video, settings) } : result;
    }

    /// <summary>Writes every output of <paramref name="prediction"/> into a held output folder as one set:
    /// staged, then swapped in place of the previous run's outputs (see <see cref="OutputFolder"/>), so
    /// the folder never mixes two runs and a kill never leaves a complete-looking half.</summary>
    public static PredictionOutputs Write(OutputFolder folder, VideoPrediction prediction, bool annotate = true, CancellationToken ct = default,
        bool trackFiles = false, bool report = true, PredictionReport.Settings? settings = null)
    {
        string staging = folder.Stage();
        PredictionOutputs staged;
        try
        {
            staged = Write(staging, prediction, annotate, ct, trackFiles, report, settings);
            folder.Commit(staging, System.IO.Path.GetFullPath(prediction.Source));
        }
        catch (VideoFerException e)
        {
            PathGuard.Delete(folder.Root, staging);
            throw new VideoFerException(OutputFolder.WithoutStaging(e.Message), e);
        }
        catch
        {
            PathGuard.Delete(folder.Root, staging);
            throw;
        }
        string Final(string path) => System.IO.Path.Combine(folder.Root, System.IO.Path.GetRelativePath(staging, path));
        return new PredictionOutputs(folder.Root, Final(staged.Csv), staged.LabelFiles.Select(Final).ToList(),
            staged.Annotated is { } a ? Final(a) : null, staged.Timelines.Select(Final).ToList())
        {
            PeopleCsv = staged.PeopleCsv is { } pc ? Final(pc) : null,
            Thumbnails = staged.Thumbnails.ToDictionary(kv => kv.Key, kv => Final(kv.Value)),
            TrackLabelFiles = staged.TrackLabelFiles.Select(Final).ToList(),
            TrackTimelines = staged.TrackTimelines.Select(Final).ToList(),
            Report = staged.Report is { } page ? Final(page) : null,
        };
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
        ["report"] = outputs?.Report,
        ["people"] = p.PeopleLinked
            ? p.People.People.Select(person => new Dictionary<string, object?>
            {
                ["person"] = person.Id,
                ["tracks"] = person.Tracks,
                ["frames"] = person.Frames,
                ["seconds_on_screen"] = Math.Round(person.SecondsOnScreen(p.VideoFps), 3),
                ["first_time"] = Math.Round(person.FirstTime, 3),
                ["last_time"] = Math.Round(person.LastTime, 3),
                ["linked"] = person.Linked,
                ["label_counts"] = PeopleSummary.LabelCounts(p, person),
                ["thumbnail"] = outputs?.Thumbnails.GetValueOrDefault(person.Id),
            }).ToList()
            : null,
        ["people_csv"] = outputs?.PeopleCsv,
        // Where linking people spent its time: keeping faces (on the thread that also runs the expression model),
        // embedding them (a thread of its own, mostly while the video streams), and after the last frame.
        ["people_sampling_seconds"] = p.PeopleLinked ? Math.Round(p.People.SamplingSeconds, 3) : null,
        ["people_embedding_seconds"] = p.PeopleLinked ? Math.Round(p.People.EmbeddingSeconds, 3) : null,
        ["people_after_last_frame_seconds"] = p.PeopleLinked ? Math.Round(p.People.FinishSeconds, 3) : null,
        ["people_embedded_faces"] = p.PeopleLinked ? p.People.EmbeddedFaces : null,
        ["abaw_tracks"] = outputs?.TrackLabelFiles is { Count: > 0 } t ? t : null,
    };
}
