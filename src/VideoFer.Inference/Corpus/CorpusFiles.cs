using System.Globalization;
using System.Text.Json;
using VideoFer.Formats;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.Photos;
using VideoFer.IO;
using VideoFer.Reports;

namespace VideoFer.Inference.Corpus;

/// <summary>The corpus-level files, built from the input folders alone (never from what one process
/// holds in memory), in the order of the corpus record. So one run, a resumed run and shards merged
/// afterwards write the same bytes:
/// <list type="bullet">
/// <item><c>predictions.csv</c>: every input's rows, each prefixed with a <c>source</c> column (the input's
/// full path), streamed from the input folders one line at a time;</item>
/// <item><c>summary.csv</c>: one row per input: name, source, status (<c>ok</c> or <c>failed</c>), frames,
/// frames with a face, faces, tracks, how many faces each class labels, and a failure's one-line error;</item>
/// <item><c>timings.csv</c>: seconds and frames per second of each completed input. Kept apart from
/// summary.csv because it differs from run to run: the other two are reproducible to the byte.</item>
/// </list></summary>
public static class CorpusFiles
{
    public const string Predictions = "predictions.csv";
    public const string Summary = "summary.csv";
    public const string Timings = "timings.csv";
    /// <summary>The corpus's index page, linking each input's report.html (not with --no-report).</summary>
    public const string Report = "report.html";
    /// <summary>The people of the corpus's photos, linked across photos (only when it has photos and people are on).</summary>
    public const string People = "people.csv";
    static readonly string[] All = [Predictions, Summary, Timings, Report, People];

    /// <summary>Whether an input may not take <paramref name="name"/> for its folder (a corpus file has it).</summary>
    public static bool IsReserved(string name) => All.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Where a corpus's files are written, or which inputs are still pending.</summary>
    public sealed record Outcome(IReadOnlyList<string> Files, IReadOnlyList<CorpusInput> Pending)
    {
        public bool Written => Files.Count > 0;
    }

    /// <summary>Removes the corpus files (they no longer describe the corpus).</summary>
    internal static void Remove(string root)
    {
        foreach (var name in All)
        {
            string path = PathGuard.Combine(root, name);
            if (File.Exists(path)) File.Delete(path);
        }
    }

    /// <summary>Removes the temporary files a killed writer of the corpus files left (call under the corpus lock).</summary>
    internal static void RemoveOrphans(string root)
    {
        foreach (var name in All) AtomicFile.RemoveOrphansOf(PathGuard.Combine(root, name));
    }

    /// <summary>One input's numbers as its folder's summary.json holds them.</summary>
    public sealed record InputSummary(
        [property: System.Text.Json.Serialization.JsonPropertyName("frames")] int Frames,
        [property: System.Text.Json.Serialization.JsonPropertyName("frames_with_face")] int FramesWithFace,
        [property: System.Text.Json.Serialization.JsonPropertyName("faces")] int Faces,
        [property: System.Text.Json.Serialization.JsonPropertyName("tracks")] int Tracks,
        [property: System.Text.Json.Serialization.JsonPropertyName("label_counts")] Dictionary<string, int> LabelCounts,
        [property: System.Text.Json.Serialization.JsonPropertyName("seconds")] double Seconds,
        [property: System.Text.Json.Serialization.JsonPropertyName("people")] IReadOnlyList<JsonElement>? People = null,
        [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string? Kind = null,
        [property: System.Text.Json.Serialization.JsonPropertyName("fingerprint")] string? Fingerprint = null)
    {
        /// <summary>A photo of a collection (<see cref="Photos.PhotoOutputs"/>): its people are the corpus's.</summary>
        public bool IsPhoto => Kind == "photo";

        /// <summary>People found in the input; null when it was predicted with people off.</summary>
        public int? PeopleCount => People?.Count;
    }

    /// <summary>Reads an input folder's summary.json.</summary>
    public static InputSummary ReadSummary(string inputFolder)
    {
        string path = Path.Combine(inputFolder, CorpusFolder.InputSummaryFile);
        try
        {
            return JsonSerializer.Deserialize<InputSummary>(File.ReadAllText(path)) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"unreadable ({e.Message})");
        }
    }

    internal static Outcome WriteIfComplete(string root, CorpusManifest manifest)
    {
        var states = manifest.Inputs.Select(i => (Input: i, State: CorpusFolderState(root, i))).ToList();
        var pending = states.Where(s => s.State == InputState.Pending).Select(s => s.Input).ToList();
        if (pending.Count > 0) return new Outcome([], pending);
        var completed = states.Where(s => s.State == InputState.Completed).Select(s => s.Input).ToList();
        var photos = completed.Where(i => ReadSummary(Path.Combine(root, i.Name)).IsPhoto).ToList();
        var collection = photos.Count > 0 ? PhotoCollection.Read(root, photos, link: manifest.Settings.People) : null;

        string predictions = PathGuard.Combine(root, Predictions);
        AtomicFile.WriteText(predictions, w =>
        {
            // The header an empty corpus gets: the columns its inputs would have had.
            string header = PredictionCsv.Header(manifest.Classes, people: manifest.Settings.People);
            string? first = null;
            foreach (var input in completed)
            {
                using var reader = new StreamReader(Path.Combine(root, input.Name, Predictions));
                string inputHeader = reader.ReadLine() ?? "";
                // The header the input folders were written with (the model's classes, and whatever
                // columns predict writes): all inputs must agree.
                if (first == null) { first = inputHeader; w.Write("source," + first + "\n"); }
                else if (inputHeader != first)
                    throw VideoFerException.InFile(Path.Combine(root, input.Name, Predictions), $"its columns differ from those of the other inputs ({first})");
                string source = CsvFields.Escape(input.Source) + ",";
                // A photo's faces take the corpus's person ids (linked across photos) in the person column.
                var persons = collection?.PersonOf(input.Name);
                for (string? line; (line = reader.ReadLine()) != null;)
                    if (line.Length > 0) w.Write(source + (persons is null ? line : PhotoCollection.WithPerson(line, persons)) + "\n");
            }
            if (first == null) w.Write("source," + header + "\n");
        });

        string summary = PathGuard.Combine(root, Summary);
        var classes = manifest.Classes;
        AtomicFile.WriteText(summary, w =>
        {
            w.Write("name,source,status,frames,frames_with_face,faces,tracks,people," + string.Join(',', classes.Select(CsvFields.Escape)) + ",error\n");
            foreach (var (input, state) in states)
            {
                string name = CsvFields.Escape(input.Name), source = CsvFields.Escape(input.Source);
                if (state == InputState.Failed)
                {
                    string error = CorpusFolder.FailureOf(root, input) ?? "";
                    w.Write($"{name},{source},failed,,,,,,{new string(',', classes.Count)}{CsvFields.Escape(error)}\n");
                    continue;
                }
                var n = ReadSummary(Path.Combine(root, input.Name));
                string counts = string.Join(',', classes.Select(c => n.LabelCounts.GetValueOrDefault(c).ToString(CultureInfo.InvariantCulture)));
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{name},{source},ok,{n.Frames},{n.FramesWithFace},{n.Faces},{n.Tracks},{n.PeopleCount},{counts},\n"));
            }
            // Files the command line's folders held that are no input: listed, never dropped silently.
            foreach (var skipped in CorpusFolder.ReadSkipped(root))
                w.Write($",{CsvFields.Escape(skipped.Source)},skipped,,,,,,{new string(',', classes.Count)}{CsvFields.Escape(CorpusFolder.OneLine(skipped.Reason))}\n");
        });

        string timings = PathGuard.Combine(root, Timings);
        AtomicFile.WriteText(timings, w =>
        {
            w.Write("name,frames,seconds,fps\n");
            foreach (var input in completed)
            {
                var n = ReadSummary(Path.Combine(root, input.Name));
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{CsvFields.Escape(input.Name)},{n.Frames},{n.Seconds:0.###},{(n.Seconds > 0 ? n.Frames / n.Seconds : 0):0.##}\n"));
            }
        });
        var files = new List<string> { predictions, summary, timings };
        if (collection is { Linked: true })
        {
            string peopleCsv = PathGuard.Combine(root, People);
            collection.WriteCsv(peopleCsv, manifest.Classes);
            files.Add(peopleCsv);
        }
        if (!manifest.Settings.Report) return new Outcome(files, []);
        string report = PathGuard.Combine(root, Report);
        WriteIndex(report, root, manifest, states, collection);
        files.Add(report);
        return new Outcome(files, []);
    }

    /// <summary>The index page: one row per input (its numbers from its summary.json, a link to its report.html,
    /// or its one-line error), in corpus order. Like summary.csv it holds no timing, so it is the same bytes
    /// whichever run or shard writes it.</summary>
    static void WriteIndex(string path, string root, CorpusManifest manifest, IReadOnlyList<(CorpusInput Input, InputState State)> states, PhotoCollection? photos)
    {
        var classes = manifest.Classes;
        var rows = new List<Dictionary<string, object?>>();
        var totals = new long[classes.Count];
        long frames = 0, faces = 0;
        var photoInputs = new List<CorpusInput>();
        int photosWithoutFace = 0;
        foreach (var (input, state) in states)
        {
            var row = new Dictionary<string, object?> { ["name"] = input.Name, ["source"] = input.Source };
            if (state == InputState.Failed)
            {
                row["error"] = CorpusFolder.FailureOf(root, input) ?? "failed";
                rows.Add(row);
                continue;
            }
            var n = ReadSummary(Path.Combine(root, input.Name));
            frames += n.Frames;
            faces += n.Faces;
            for (int k = 0; k < classes.Count; k++) totals[k] += n.LabelCounts.GetValueOrDefault(classes[k]);
            if (n.IsPhoto)
            {
                // Photos are the grid of faces, not rows: one row each would not open quickly for 10,000 of them.
                photoInputs.Add(input);
                if (n.Faces == 0) photosWithoutFace++;
                continue;
            }
            row["href"] = File.Exists(Path.Combine(root, input.Name, PredictionReport.FileName)) ? $"{Uri.EscapeDataString(input.Name)}/{PredictionReport.FileName}" : null;
            row["frames"] = n.Frames;
            row["frames_with_face"] = n.FramesWithFace;
            row["faces"] = n.Faces;
            row["tracks"] = n.Tracks;
            row["people"] = n.PeopleCount?.ToString(CultureInfo.InvariantCulture) ?? "";
            row["shares"] = Shares(classes, k => n.LabelCounts.GetValueOrDefault(classes[k]), n.Faces);
            rows.Add(row);
        }
        var model = new Dictionary<string, object?>
        {
            ["title"] = $"corpus of {states.Count} inputs: facial expressions",
            ["inputs"] = rows,
            ["count"] = states.Count,
            ["failed"] = states.Count(s => s.State == InputState.Failed),
            ["frames"] = frames,
            ["faces"] = faces,
            ["classes"] = classes.ToList(),
            ["shares"] = Shares(classes, k => totals[k], faces),
            ["model"] = manifest.Settings.Model == "default" ? "the default model (docs/DEFAULT_MODEL.md: 7 classes, per frame)" : manifest.Settings.Model,
            ["photo_count"] = photoInputs.Count,
            ["photo_faces"] = photos?.Faces.Count ?? 0,
            ["photo_people"] = photos is { Linked: true } ? photos.Faces.Select(f => f.Person).Distinct().Count() : 0,
            ["people_linked"] = photos?.Linked ?? false,
            ["photos_without_face"] = photosWithoutFace,
            ["settings"] = $"--smooth {manifest.Settings.Smooth}, --tiles {manifest.Settings.Tiles}" + (manifest.Settings.AnnotatedVideo ? "" : ", --no-video") +
                           (manifest.Settings.BaseSize is int b ? $", --base-size {b}" : ""),
        };
        // The grid's data, compact for large collections: photos as [name, annotated photo], faces as
        // [photo, face, label, person, probabilities in hundredths...].
        var photoIndex = photoInputs.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var photoRows = photoInputs.Select(p => new object?[]
        {
            p.Name, File.Exists(Path.Combine(root, p.Name, PhotoOutputs.Annotated)) ? $"{Uri.EscapeDataString(p.Name)}/{PhotoOutputs.Annotated}" : null,
        }).ToList();
        var faceRows = (photos?.Faces ?? []).Where(f => photoIndex.ContainsKey(f.Photo.Name)).Select(f => new List<int>
        {
            photoIndex[f.Photo.Name], f.Record.Face, classes.ToList().IndexOf(f.Record.Label), f.Person,
        }.Concat(f.Record.Probabilities.Select(p => (int)Math.Round(p * 100))).ToArray()).ToList();
        HtmlReport.Write(path, "corpus.liquid", model, photoInputs.Count > 0
            ? new { classes, inputs = rows.Count, photos = photoRows, faces = faceRows }
            : (object)new { classes, inputs = rows.Count });
    }

    static List<Dictionary<string, object?>> Shares(IReadOnlyList<string> classes, Func<int, long> count, long total) =>
        classes.Select((name, k) => new Dictionary<string, object?>
        {
            ["name"] = name,
            ["percent"] = total == 0 ? 0 : Math.Round(100.0 * count(k) / total, 1),
        }).ToList();

    static InputState CorpusFolderState(string root, CorpusInput input) => CorpusFolder.ProbeState(root, input);
}
