using System.Globalization;
using VideoFer.Reports;

namespace VideoFer.Inference.Outputs;

/// <summary>report.html of one prediction: the annotated video (when browsers can play it) with, per person (per
/// track with people off), a thumbnail, time on screen, the share of each expression and an interactive timeline
/// of the class probabilities whose cursor follows the video and whose click seeks it; a summary of the video and
/// links to the CSV and ABAW files. Its data are the records predictions.csv is written from, with the CSV's
/// rounding (times to 0.001 s, probabilities to 0.00001): one source of truth. The page is self-contained
/// (style, script and data inlined) and refers only to the files beside it. Template:
/// <c>src/VideoFer.Core/Reports/Assets/video.liquid</c>.</summary>
public static class PredictionReport
{
    public const string FileName = "report.html";

    /// <summary>The settings the report lists, as (name, value) pairs (predict's options).</summary>
    public sealed record Settings(IReadOnlyList<KeyValuePair<string, string>> Values)
    {
        /// <summary>A link back to the page that lists this one (a corpus's index), relative to it; null for none.</summary>
        public string? Index { get; init; }

        public static readonly Settings None = new([]);
    }

    /// <summary>Writes report.html into <paramref name="directory"/>, which holds the other outputs (file names of
    /// <paramref name="outputs"/> are linked relative to it).</summary>
    public static string Write(string directory, VideoPrediction prediction, PredictionOutputs outputs, AnnotatedVideo.Result? video, Settings? settings = null)
    {
        string path = Path.Combine(directory, FileName);
        HtmlReport.Write(path, "video.liquid", Model(directory, prediction, outputs, video, settings ?? Settings.None), Data(directory, prediction, video));
        return path;
    }

    /// <summary>The one-line reason the page shows instead of the video, or null when it embeds it.</summary>
    static string? VideoNote(AnnotatedVideo.Result? video) => video switch
    {
        null => "The annotated video is not embedded: it was not written (--no-video).",
        { BrowserPlayable: false, Stills.Count: > 1 } v => $"The annotated video is not embedded: {v.WhyNotPlayable}. " +
            $"The player shows {v.Stills.Count} annotated frames, one every {(v.Stills[1].Time - v.Stills[0].Time).ToString("0.##", CultureInfo.InvariantCulture)} s.",
        { BrowserPlayable: false } v => $"The annotated video is not embedded: {v.WhyNotPlayable}.",
        _ => null,
    };

    /// <summary>A file beside the page as a relative URL: each path segment percent-encoded, so that a file named
    /// after an input such as a#b.jpg or p%41.jpg is the file it names (the template HTML-encodes it on top).</summary>
    static string Rel(string directory, string path) =>
        string.Join('/', Path.GetRelativePath(directory, path).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));

    /// <summary>The same relative path as a person reads it (not encoded).</summary>
    static string Name(string directory, string path) => Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');

    static Dictionary<string, object?> Model(string directory, VideoPrediction p, PredictionOutputs outputs, AnnotatedVideo.Result? video, Settings settings)
    {
        bool image = video is not null && video.Path.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        var subjects = Subjects(p);
        var people = subjects.Select(s =>
        {
            var records = s.Records;
            double seconds = p.VideoFps > 0 ? records.Select(r => r.Frame).Distinct().Count() / p.VideoFps : 0;
            var shares = p.ClassNames.Select((name, k) => new Dictionary<string, object?>
            {
                ["name"] = name,
                ["percent"] = records.Count == 0 ? 0 : Math.Round(100.0 * records.Count(r => r.Label == k) / records.Count, 1),
            }).ToList();
            return new Dictionary<string, object?>
            {
                ["id"] = s.Id,
                ["title"] = s.Title,
                ["tracks"] = s.Tracks,
                ["frames"] = records.Select(r => r.Frame).Distinct().Count(),
                ["seconds"] = seconds.ToString("0.0", CultureInfo.InvariantCulture),
                ["first"] = records.Count > 0 ? records.Min(r => r.Time).ToString("0.0", CultureInfo.InvariantCulture) : "",
                ["last"] = records.Count > 0 ? records.Max(r => r.Time).ToString("0.0", CultureInfo.InvariantCulture) : "",
                ["linked"] = s.Linked,
                ["thumbnail"] = outputs.Thumbnails.TryGetValue(s.Id, out var thumb) && p.PeopleLinked ? Rel(directory, thumb) : null,
                ["shares"] = shares,
                ["top"] = shares.OrderByDescending(x => (double)x["percent"]!).First()["name"],
                ["shares_text"] = string.Join(", ", shares.Where(x => (double)x["percent"]! > 0)
                    .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x["name"]} {x["percent"]}%"))),
            };
        }).ToList();
        var files = new List<Dictionary<string, object?>> { File("predictions.csv", Rel(directory, outputs.Csv), "every face in every frame: box, probabilities, label") };
        if (outputs.PeopleCsv is { } pc) files.Add(File("people.csv", Rel(directory, pc), "one row per person"));
        files.AddRange(outputs.LabelFiles.Select(f => File(Name(directory, f), Rel(directory, f), "ABAW label file")));
        if (outputs.Annotated is { } a) files.Add(File(Name(directory, a), Rel(directory, a), image ? "the annotated picture" : "the annotated video"));
        files.AddRange(outputs.Timelines.Select(f => File(Name(directory, f), Rel(directory, f), "timeline picture")));
        bool defaultModel = p.Model.StartsWith("default model", StringComparison.Ordinal);
        return new()
        {
            ["title"] = $"{p.Stem}: facial expressions",
            ["stem"] = p.Stem,
            ["source"] = p.Source,
            ["frames"] = p.Frames,
            ["frames_with_face"] = p.FramesWithFace,
            ["faces"] = p.Records.Count,
            ["tracks"] = p.Tracks.Count,
            ["people_count"] = p.PeopleLinked ? p.People.People.Count : (int?)null,
            ["size"] = $"{p.Width}x{p.Height}",
            ["video_fps"] = p.VideoFps.ToString("0.##", CultureInfo.InvariantCulture),
            ["duration"] = (p.VideoFps > 0 ? p.Frames / p.VideoFps : 0).ToString("0.0", CultureInfo.InvariantCulture),
            ["processing_fps"] = p.ProcessingFps.ToString("0.0", CultureInfo.InvariantCulture),
            ["cuts"] = p.ShotCuts.Count,
            ["model"] = p.Model,
            ["model_limits"] = defaultModel
                ? "A small network that sees one face at a time, without temporal context, trained on web photos: on 1,500 real labelled face photos it scored Acc 0.63, macro F1 0.47; Happiness, Neutral, Surprise and Anger are mostly right, Disgust and Fear almost never: treat those two as unknown (docs/DEFAULT_MODEL.md)."
                : "A checkpoint of the paper's clip network: it is as good as its validation says (`videofer runs report` on its run) and knows only the faces and classes it was trained on.",
            ["settings"] = settings.Values.Select(kv => new Dictionary<string, object?> { ["name"] = kv.Key, ["value"] = kv.Value }).ToList(),
            ["people_linked"] = p.PeopleLinked,
            ["subject"] = p.PeopleLinked ? "person" : "track",
            ["people"] = people,
            ["video"] = video is { BrowserPlayable: true } && !image ? Rel(directory, video.Path) : null,
            ["picture"] = image ? Rel(directory, video!.Path) : null,
            ["still"] = video is { BrowserPlayable: false, Stills.Count: > 0 } ? Rel(directory, video.Stills[0].Path) : null,
            ["video_note"] = image ? null : VideoNote(video),
            ["files"] = files,
            ["classes"] = p.ClassNames.ToList(),
            ["index"] = settings.Index,
        };
    }

    static Dictionary<string, object?> File(string name, string href, string what) => new() { ["name"] = name, ["href"] = href, ["what"] = what };

    static double AsCsv(string number) => double.Parse(number, CultureInfo.InvariantCulture);

    sealed record Subject(int Id, string Title, string Tracks, bool Linked, List<PredictionRecord> Records);

    static List<Subject> Subjects(VideoPrediction p) => p.PeopleLinked
        ? p.People.People.Select(person => new Subject(person.Id, $"person {person.Id}", string.Join(", ", person.Tracks), person.Linked,
            p.Records.Where(r => r.Person == person.Id).OrderBy(r => r.Frame).ToList())).ToList()
        : p.Tracks.Select(t => new Subject(t, $"track {t}", t.ToString(CultureInfo.InvariantCulture), false,
            p.Records.Where(r => r.Track == t).OrderBy(r => r.Frame).ToList())).ToList();

    /// <summary>The page's JSON: per person (track) its frames, times and smoothed probabilities, the very numbers the
    /// CSV writes (formatted by <see cref="PredictionCsv"/>, then read back).</summary>
    static object Data(string directory, VideoPrediction p, AnnotatedVideo.Result? video) => new
    {
        classes = p.ClassNames,
        fps = p.VideoFps,
        frames = p.Frames,
        duration = p.TimeOf(p.Frames + 1),
        gap_frames = TimelinePlot.GapFrames,
        cuts = p.ShotCuts.Select(f => new { frame = f, time = Math.Round(p.TimeOf(f), 3) }),
        video = video is { BrowserPlayable: true },
        // Without a playable video: the annotated frames the page plays instead (time, file).
        still_time = (video?.Stills ?? []).Select(s => AsCsv(PredictionCsv.Time(s.Time))),
        still_src = (video?.Stills ?? []).Select(s => Rel(directory, s.Path)),
        people = Subjects(p).Select(s => new
        {
            id = s.Id,
            title = s.Title,
            frame = s.Records.Select(r => r.Frame),
            time = s.Records.Select(r => AsCsv(PredictionCsv.Time(r.Time))),
            p = s.Records.Select(r => r.Probabilities.Select(v => AsCsv(PredictionCsv.Probability(v)))),
            label = s.Records.Select(r => r.Label),
        }),
    };
}
