using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VideoFer.IO;
using VideoFer.Inference;
using VideoFer.Inference.Corpus;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Runtime;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer predict VIDEO --out DIR`: the expression of every face in every frame.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var input = new Argument<string[]>("VIDEO")
        {
            Description = "A video file, a folder of frame images, or one image; or a corpus: several of them, folders of videos " +
                          "(searched recursively), quoted globs ('videos/**/*.mp4') or @list.txt (one path a line), each input then in <out>/<name>/.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (CSV, ABAW label files, annotated video, timelines).", Required = true };
        var model = ModelOptions.Model();
        var margin = ModelOptions.Margin();
        var temperature = ModelOptions.Temperature();
        var smooth = new Option<int>("--smooth") { Description = "Temporal smoothing: average each track's probabilities over ±N frames (0 = off).", DefaultValueFactory = _ => TemporalSmoothing.DefaultRadius };
        var noVideo = new Option<bool>("--no-video") { Description = "Skip the annotated video (saves a second decoding pass)." };
        var noReport = new Option<bool>("--no-report") { Description = "Skip report.html (the page with the video, the timelines and the people; for a corpus also its index page)." };
        var tiles = new Option<int>("--tiles") { Description = "Detector tiles per side for small faces (0 = whole frame only).", DefaultValueFactory = _ => new FaceDetectorOptions().TilesPerShortSide }.Between(0, FaceDetectorOptions.MaxTilesPerShortSide);
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto (for --model).", DefaultValueFactory = _ => "cpu" };
        var baseSize = new Option<int?>("--base-size") { Description = "With --model: resize aligned faces to this side before the centre crop, instead of the side the checkpoint was trained with (its stored preprocessing)." };
        var people = new Option<string>("--people") { Description = "on: link face tracks into people, who keep one id across shot cuts, occlusions and exits (docs/FACES.md); off: tracks only, as before.", DefaultValueFactory = _ => "on" };
        people.AcceptOnlyFromAmong("on", "off");
        var maxPeople = new Option<int?>("--max-people") { Description = "Keep only the N people with the most frames with a face (the others are left out of every output)." }.AtLeast(1);
        var minPersonFrames = new Option<int>("--min-person-frames") { Description = "Leave out people seen in fewer frames, as spurious detections (1 keeps everyone; never more than the input's frames).", DefaultValueFactory = _ => PeopleOptions.DefaultMinPersonFrames }.Between(1, int.MaxValue);
        var trackFiles = new Option<bool>("--track-files") { Description = "With people: also write the per-track ABAW files (abaw_tracks/) and timelines (timeline_track<N>.png)." };
        var force = new Option<bool>("--force") { Description = "Replace the results of another input that --out already holds (results of the same input are always replaced as a whole). For a corpus: redo every input, and drop inputs the corpus held that are not listed now." };
        var shard = SharedOptions.Shard();
        var faces = FacesOption.Create();
        var frames = new Option<bool>("--frames") { Description = "Read every folder of pictures as the frames of one video (default: only folders of numbered frames of one size, e.g. 00001.jpg; other pictures are photos)." };
        var photos = new Option<bool>("--photos") { Description = "Read every picture as a photo of its own, even in a folder of numbered frames." };
        var engine = new EngineCliOptions();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "For a corpus: no progress, only failures and a final line (for schedulers' logs)." };
        var command = new Command("predict", "Recognise the expression of every face in every frame of a video, a frame folder or an image.")
        {
            input, output, model, margin, temperature, smooth, noVideo, noReport, faces, frames, photos, tiles, device, baseSize, people, maxPeople, minPersonFrames, trackFiles, force, shard, quiet, GlobalOptions.Json,
        };
        foreach (var o in engine.All) command.Options.Add(o);
        engine.AddValidator(command);
        // The default model is a TF.js graph run by VideoFer's own importer: the engine options are a checkpoint's.
        ModelOptions.AddEngineValidator(command, model, engine);
        command.Validators.Add(result =>
        {
            if (result.GetResult(frames) is { Implicit: false } && result.GetResult(photos) is { Implicit: false })
                result.AddError("--frames and --photos: a folder of pictures is read one way or the other");
        });
        // Options about people mean nothing without them: refused while parsing, like any bad option value.
        command.Validators.Add(result =>
        {
            // The raw token, not GetValue: a value outside on/off has its own error, and GetValue would throw here.
            if (result.GetResult(people) is not { Tokens: [{ Value: "off" }] }) return;
            foreach (var (option, given) in new (Option Option, bool Given)[]
                     {
                         (maxPeople, result.GetResult(maxPeople) is { Implicit: false }),
                         (minPersonFrames, result.GetResult(minPersonFrames) is { Implicit: false }),
                         (trackFiles, result.GetResult(trackFiles) is { Implicit: false }),
                     })
                if (given) result.AddError($"{option.Name} applies to people; it cannot be used with --people off");
        });
        command.SetAction(parse =>
        {
            string outDir = parse.GetValue(output)!.FullName;
            bool json = parse.GetValue(GlobalOptions.Json);
            TemporalSmoothing.CheckRadius(parse.GetValue(smooth));
            var choice = ModelChoice.Parse(parse.GetValue(model), parse.GetValue(margin), parse.GetValue(temperature));
            if (parse.GetValue(baseSize) is int side && choice.Checkpoint is null)
                throw new VideoFerException($"--base-size {side}: applies to --model checkpoints only (the per-frame models cut their own face squares)");
            var reading = parse.GetValue(frames) ? FolderReading.Frames : parse.GetValue(photos) ? FolderReading.Photos : FolderReading.Auto;
            var expansion = MediaInputs.Expand(parse.GetValue(input)!, exclude: outDir, reading: reading);
            var (inputs, isCorpus) = expansion;
            var peopleOptions = new PeopleOptions
            {
                Enabled = parse.GetValue(people) != "off",
                MaxPeople = parse.GetValue(maxPeople),
                MinPersonFrames = parse.GetValue(minPersonFrames),
            };
            bool withTrackFiles = parse.GetValue(trackFiles);
            if (isCorpus)
                return PredictCorpus.Run(new PredictCorpus.Request(inputs, outDir, choice, parse.GetValue(smooth),
                    parse.GetValue(tiles), !parse.GetValue(noVideo), !parse.GetValue(noReport), parse.GetValue(device)!, parse.GetValue(baseSize), parse.GetValue(force),
                    parse.GetValue(shard), json, parse.GetValue(quiet), parse.GetValue(GlobalOptions.Verbose), peopleOptions, withTrackFiles)
                    { Engine = engine.Read(parse), Faces = parse.GetValue(faces)!, Skipped = [.. expansion.Skipped.Select(k => new SkippedInput(k.Path, k.Reason))] });
            if (parse.GetValue(shard) is { } shardText)
                throw new VideoFerException($"--shard {shardText}: applies to a corpus (several inputs, a folder of videos, a glob or a list), not to one input");
            string path = inputs[0];
            foreach (var (file, reason) in expansion.Skipped)
                Console.Error.WriteLine($"videofer: skipped {file}: {reason}");
            CorpusFolder.RefuseForOneInput(outDir);
            // Before any work: the folder must be usable, ours alone while we run, and never mix two runs.
            using var folder = OutputFolder.Open(outDir, "predict", use: FolderUse.OwnOutputs);
            if (folder.CheckReuse(Path.GetFullPath(path), parse.GetValue(force)) is { } previous && !json)
                AnsiConsole.MarkupLine(Markup.Escape($"replacing the earlier results of {previous.Input} in {folder.Root}"));
            var options = new ExpressionAnalyzerOptions { SmoothingRadius = parse.GetValue(smooth), Device = parse.GetValue(device)!, BaseSize = parse.GetValue(baseSize),
                Engine = engine.Read(parse),
                Faces = new FacePipelineOptions { Detector = new FaceDetectorOptions { TilesPerShortSide = parse.GetValue(tiles) }, Faces = FacesOption.Read(parse.GetValue(faces)!) },
                People = peopleOptions };
            using var analyzer = ExpressionAnalyzer.Create(choice, options);
            VideoPrediction prediction = null!;
            PredictionOutputs outputs = null!;
            bool report = !parse.GetValue(noReport);
            var reportSettings = new PredictionReport.Settings(
            [
                new("smoothing", options.SmoothingRadius == 0 ? "off" : $"±{options.SmoothingRadius} frames (--smooth)"),
                parse.GetValue(faces) == "whole"
                    ? new("faces", "every frame is one face (--faces whole)")
                    : new("detector tiles", $"{parse.GetValue(tiles)} per short side (--tiles)"),
                new("people", peopleOptions.Enabled
                    ? $"linked (--max-people {peopleOptions.MaxPeople?.ToString() ?? "none"}, --min-person-frames {peopleOptions.MinPersonFrames})"
                    : "off: tracks only"),
                .. parse.GetValue(baseSize) is int b ? [new KeyValuePair<string, string>("base size", $"{b} (--base-size)")] : Array.Empty<KeyValuePair<string, string>>(),
            ]);
            if (json)
            {
                prediction = analyzer.Analyze(path).Prediction;
                outputs = PredictionOutputs.Write(folder, prediction, !parse.GetValue(noVideo), trackFiles: withTrackFiles, report: report, settings: reportSettings);
                Console.WriteLine(JsonOutput.Serialize(PredictionOutputs.Summary(prediction, outputs)));
                return CommandRunner.ExitOk;
            }
            AnsiConsole.MarkupLine(Markup.Escape($"{analyzer.ModelDescription}"));
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedlessRateColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"frames of {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", maxValue: 1);
                    prediction = analyzer.Analyze(path, new Progress<AnalysisProgress>(p =>
                    {
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                    })).Prediction;
                    task.Value = task.MaxValue;
                    var writing = ctx.AddTask("writing outputs", maxValue: 1);
                    outputs = PredictionOutputs.Write(folder, prediction, !parse.GetValue(noVideo), trackFiles: withTrackFiles, report: report, settings: reportSettings);
                    writing.Value = 1;
                });
            bool linked = prediction.PeopleLinked;
            var table = new Table().AddColumn(linked ? "person" : "track");
            if (linked) table.AddColumn("tracks");
            table.AddColumn(new TableColumn("frames").RightAligned()).AddColumn("first").AddColumn("last").AddColumn("most frequent expressions");
            var rows = linked
                ? prediction.People.People.Select(p => (Id: p.Id, Tracks: string.Join(" ", p.Tracks), Records: prediction.Records.Where(r => r.Person == p.Id).ToList()))
                : prediction.Tracks.Select(t => (Id: t, Tracks: "", Records: prediction.Records.Where(r => r.Track == t).ToList()));
            foreach (var (id, tracks, records) in rows)
            {
                var top = records.GroupBy(r => r.Label).OrderByDescending(g => g.Count()).Take(3)
                    .Select(g => $"{prediction.ClassNames[g.Key]} {100.0 * g.Count() / records.Count:0}%");
                var cells = new List<string> { id.ToString() };
                if (linked) cells.Add(tracks);
                cells.AddRange([records.Select(r => r.Frame).Distinct().Count().ToString(), $"{records.Min(r => r.Time):0.0}s", $"{records.Max(r => r.Time):0.0}s", string.Join(", ", top)]);
                table.AddRow(cells.ToArray());
            }
            if (prediction.Records.Count > 0) AnsiConsole.Write(table);
            else AnsiConsole.MarkupLine("[yellow]no face was found in any frame: nothing to label[/] (predictions.csv has only its header; no ABAW file is written)");
            AnsiConsole.MarkupLine(Markup.Escape($"{prediction.Frames} frames, {prediction.FramesWithFace} with a face, {prediction.Tracks.Count} tracks" +
                (linked ? $", {prediction.People.People.Count} people" : "") + $", {prediction.ProcessingFps:0.0} frames/s"));
            AnsiConsole.MarkupLine(Markup.Escape($"CSV:             {outputs.Csv}"));
            if (outputs.LabelFiles.Count > 0) AnsiConsole.MarkupLine(Markup.Escape($"ABAW label files: {Path.Combine(outDir, "abaw")} ({outputs.LabelFiles.Count})"));
            if (outputs.Annotated != null) AnsiConsole.MarkupLine(Markup.Escape($"annotated video: {outputs.Annotated}"));
            foreach (var t in outputs.Timelines) AnsiConsole.MarkupLine(Markup.Escape($"timeline:        {t}"));
            if (outputs.PeopleCsv != null) AnsiConsole.MarkupLine(Markup.Escape($"people:          {outputs.PeopleCsv} (thumbnails person<N>.jpg)"));
            if (outputs.TrackLabelFiles.Count > 0) AnsiConsole.MarkupLine(Markup.Escape($"track ABAW files: {Path.Combine(outDir, "abaw_tracks")} ({outputs.TrackLabelFiles.Count})"));
            if (outputs.Report != null) AnsiConsole.MarkupLine(Markup.Escape($"report:          {outputs.Report}"));
            return CommandRunner.ExitOk;
        });
        return command;
    }

    /// <summary>Frames per second of the progress task.</summary>
    sealed class TransferSpeedlessRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is double s ? $"{s:0.0} fps" : "", new Style(Color.Grey));
    }
}
