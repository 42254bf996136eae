using VideoFer.Datasets.AffWild2;
using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Cli.Presentation;
using VideoFer.Models.Runtime;
using VideoFer.Models.Weights;
using VideoFer.Submissions;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using VideoFer.Formats;
using VideoFer.Datasets.LabelledImages;
using VideoFer.Inference.Evaluation;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.Predictors;
using VideoFer.Metrics;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer eval`: evaluates a clip-model checkpoint on an Aff-Wild2 split as the paper does
/// (§IV-D) and writes ABAW-format predictions for every frame.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A VideoFer clip-model checkpoint (e.g. RUN_DIR/best.pth): on an Aff-Wild2 split, or with --images." };
        var affwild2 = new Option<DirectoryInfo?>("--affwild2") { Description = "Aff-Wild2 root (any edition)." };
        var images = new Option<string?>("--images") { Description = "Labelled face pictures: a CSV of image,label rows, a folder holding labels.csv, or a folder with one folder per class (happy/, sad/, ...); scored with --model." };
        var imagesFolder = new Option<DirectoryInfo?>("--images-folder") { Description = "With a CSV: where its images are (default: the CSV's folder, or its images/)." };
        var model = ModelOptions.Model();
        var margin = ModelOptions.Margin();
        var temperature = ModelOptions.Temperature();
        var faces = FacesOption.Create();
        var fitTemperature = new Option<bool>("--fit-temperature") { Description = "With --images: fit the temperature that calibrates the model's probabilities on these pictures and report the calibration error before and after." };
        var half = new Option<int?>("--half") { Description = "With --images: score only half 1 or 2 of the pictures, split by identity (the file name before its last '_': LFW-style Name_0001.jpg), for calibration on one half and checks on the other." };
        var force = new Option<bool>("--force") { Description = "With --images: replace the results of another evaluation that --out holds." };
        var cropped = new Option<string[]>("--cropped") { Description = "cropped_aligned roots (repeatable); default: found under the root." };
        var split = new Option<string>("--split") { Description = "train or validation.", DefaultValueFactory = _ => "validation" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Aff-Wild2: where to write ABAW-format predictions (one .txt per track; default: predictions-<split> beside the checkpoint). --images: metrics.json, predictions.csv, report.html and thumbnails (default: none written)." };
        var png = new Option<FileInfo?>("--png") { Description = "Also draw the confusion matrix to this PNG." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var batch = new Option<int>("--batch-clips") { Description = "Clips per forward pass (at least 1).", DefaultValueFactory = _ => 8 };
        var baseSize = new Option<int?>("--base-size") { Description = "Resize faces to this side before the centre crop, instead of the side the checkpoint was trained with (its stored preprocessing; for checkpoints older than that, its train_config's base_size, else max(256, input size))." };
        var engine = new EngineCliOptions();
        var command = new Command("eval", "Evaluate a checkpoint on an Aff-Wild2 split (8-frame clips, zero padding, every frame once), or any model on labelled face " +
                                          "pictures (--images): Acc, F1, S, per-class F1, confusion matrix.")
        {
            checkpoint, affwild2, cropped, split, images, imagesFolder, model, margin, temperature, faces, fitTemperature, half, force, output, png, device, batch, baseSize, GlobalOptions.Json,
        };
        foreach (var o in engine.All) command.Options.Add(o);
        engine.AddValidator(command);
        command.Validators.Add(result =>
        {
            bool onImages = result.GetResult(images) is { Implicit: false };
            if (onImages && result.GetResult(affwild2) is { Implicit: false }) result.AddError("--images and --affwild2: evaluate on one or the other");
            if (!onImages)
            {
                if (result.GetResult(affwild2) is not { Implicit: false }) result.AddError("--affwild2 (with --checkpoint) or --images is required");
                if (result.GetResult(checkpoint) is not { Implicit: false }) result.AddError("--checkpoint is required with --affwild2");
                foreach (var o in new Option[] { imagesFolder, model, margin, temperature, faces, fitTemperature, half, force })
                    if (result.GetResult(o) is { Implicit: false }) result.AddError($"{o.Name} applies to --images");
            }
            else
            {
                if (result.GetResult(checkpoint) is { Implicit: false } && result.GetResult(model) is { Implicit: false }) result.AddError("--checkpoint and --model: name the model once");
                foreach (var o in new Option[] { cropped, split, png, batch })
                    if (result.GetResult(o) is { Implicit: false }) result.AddError($"{o.Name} applies to --affwild2");
            }
        });
        command.SetAction(parse =>
        {
            if (parse.GetValue(images) is string labelled)
                return EvalImages(parse, labelled, parse.GetValue(imagesFolder)?.FullName, parse.GetValue(checkpoint)?.FullName ?? parse.GetValue(model),
                    parse.GetValue(margin), parse.GetValue(temperature), parse.GetValue(faces)!, parse.GetValue(fitTemperature), parse.GetValue(half),
                    parse.GetValue(output)?.FullName, parse.GetValue(force), parse.GetValue(device)!, parse.GetValue(baseSize), engine.Read(parse));
            string ckpt = parse.GetValue(checkpoint)!.FullName;
            int clipsPerBatch = OptionBounds.AtLeast(parse.GetValue(batch), 1, "--batch-clips");
            var dev = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            var engineOptions = engine.Read(parse);
            // Refused before the split loads.
            Models.Engines.EngineRule.Resolve(engineOptions.Engine, engineOptions.Precision, dev.type == TorchSharp.DeviceType.CPU);
            string splitName = parse.GetValue(split)!;
            var (tracks, edition) = TrainingSources.LoadAffWild2(parse.GetValue(affwild2)!.FullName, parse.GetValue(cropped) ?? [], splitName);
            bool json = parse.GetValue(GlobalOptions.Json);
            // Before the evaluation: a bad --out must not cost it. (No lock file: the folder is a submission
            // of ABAW label files and should hold nothing else.)
            string outDir = parse.GetValue(output)?.FullName ?? Path.Combine(Path.GetDirectoryName(ckpt)!, $"predictions-{splitName}");
            VideoFer.IO.OutputFolder.Prepare(outDir);
            CheckpointEvaluation.Outcome outcome = null!;
            void Work(IProgress<(long, long)>? progress) =>
                outcome = CheckpointEvaluation.Evaluate(ckpt, tracks, dev, parse.GetValue(baseSize), clipsPerBatch, progress, engine: engineOptions,
                    loadCalibrationFolder: (folder, images) => Inference.Predictors.CalibrationImages.Load(folder, new Data.Images.ImageTransform(images)));
            if (json) Work(null);
            else
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"evaluating {tracks.Count} tracks", maxValue: tracks.Sum(t => (double)t.FrameCount));
                        Work(new Progress<(long Done, long Total)>(p => task.Value = p.Done));
                        task.Value = task.MaxValue;
                    });
            var (result, info, preprocessing) = outcome;
            var written = TaskSubmissions.Write(outDir, result, info.Config);
            string? pngPath = parse.GetValue(png)?.FullName;
            if (pngPath != null) MetricsView.SaveConfusionPng(result.Metrics, pngPath);
            if (json)
            {
                var o = MetricsView.ToJson(result.Metrics);
                o["videos"] = tracks.Count;
                o["checkpoint"] = ckpt;
                o["arch"] = info.Config.Arch;
                o["input_size"] = preprocessing.InputSize;
                o["base_size"] = preprocessing.BaseSize;
                o["split"] = splitName;
                o["engine"] = outcome.Engine;
                o["predictions"] = outDir;
                o["missing_images"] = result.MissingImages;
                o["png"] = pngPath;
                o["tasks"] = info.Config.Tasks;
                o["edition"] = edition.Name();
                if (result.ValenceArousal is { } va)
                    o["valence_arousal"] = new Dictionary<string, object> { ["frames"] = va.Frames, ["ccc_valence"] = va.ValenceCcc, ["ccc_arousal"] = va.ArousalCcc, ["score"] = va.MeanCcc };
                if (result.ActionUnits is { } au)
                    o["action_units"] = new Dictionary<string, object>
                    {
                        ["frames"] = au.Frames, ["mean_f1"] = au.MeanF1, ["accuracy"] = au.Accuracy, ["score"] = au.Score(edition),
                        ["per_au"] = au.Names.Select((n, j) => new Dictionary<string, object> { ["au"] = n, ["f1"] = au.F1[j] }).ToArray(),
                    };
                o["submission_folders"] = written;
                Console.WriteLine(JsonOutput.Serialize(o));
            }
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape($"{info.Describe()} on {tracks.Count} {splitName} tracks ({result.Metrics.Frames} scored frames; -1 frames excluded), " +
                    $"faces resized to {preprocessing.BaseSize} and centre-cropped to {preprocessing.InputSize}; {outcome.Engine}"));
                if (result.Tasks.HasFlag(Datasets.AbawTasks.Expression)) MetricsView.PrintTables(result.Metrics);
                if (result.ValenceArousal is { } va)
                    AnsiConsole.MarkupLine(Markup.Escape($"valence-arousal ({va.Frames} annotated frames): CCC valence {va.ValenceCcc:0.0000}, arousal {va.ArousalCcc:0.0000}, mean {va.MeanCcc:0.0000}"));
                if (result.ActionUnits is { } au)
                    AnsiConsole.MarkupLine(Markup.Escape($"action units ({au.Frames} annotated frames): mean F1 {au.MeanF1:0.0000}, accuracy {au.Accuracy:0.0000}, " +
                        $"{edition.Name()} score {au.Score(edition):0.0000}; F1 per AU: " + string.Join(", ", au.Names.Select((n, j) => $"{n} {au.F1[j]:0.00}"))));
                AnsiConsole.MarkupLine(Markup.Escape($"predictions (ABAW format, every frame): {string.Join(", ", written)}"));
                if (pngPath != null) AnsiConsole.MarkupLine(Markup.Escape($"confusion matrix: {pngPath}"));
            }
            return CommandRunner.ExitOk;
        });
        return command;
    }

    /// <summary>`eval --images`: a model on labelled face pictures.</summary>
    static int EvalImages(ParseResult parse, string labelled, string? imagesFolder, string? modelName, float? margin, double? temperature, string faces,
        bool fitTemperature, int? half, string? outDir, bool force, string device, int? baseSize, Models.Engines.EngineOptions engine)
    {
        if (half is not (null or 1 or 2)) throw new VideoFerException($"--half {half}: expected 1 or 2");
        var choice = ModelChoice.Parse(modelName, margin, temperature);
        bool json = parse.GetValue(GlobalOptions.Json);
        // Before the model loads: the labels must read, and the output folder must be usable.
        using var folder = outDir is null ? null : VideoFer.IO.OutputFolder.Open(outDir, "eval", use: VideoFer.IO.FolderUse.OwnOutputs);
        using var predictor = choice.Open(TorchRuntime.ResolveDevice(device), baseSize, engine);
        var set = LabelledImageSet.Read(labelled, predictor.ClassNames, imagesFolder);
        if (half is int h) set = set.Half(h);
        folder?.CheckReuse(set.Source + (half is int hh ? $" (half {hh})" : ""), force);
        var pipeline = new FacePipelineOptions { Faces = FacesOption.Read(faces) };
        using var evaluator = new ImageEvaluator(predictor, pipeline);
        ImageEvaluation result = null!;
        if (json) result = evaluator.Run(set);
        else
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{set.Scored.Count} pictures", maxValue: Math.Max(1, set.Scored.Count));
                    result = evaluator.Run(set, new Progress<(int Done, int Total)>(p => task.Value = p.Done));
                    task.Value = task.MaxValue;
                });
        double? fitted = fitTemperature && result.CalibrationSamples.Count > 0 ? Calibration.FitTemperature(result.CalibrationSamples) : null;
        if (fitTemperature && fitted is null) throw new VideoFerException($"{set.Source}: no face was found in any picture: no temperature to fit");
        string? page = folder is null ? null : ImageEvaluationReport.Write(folder, result, fitted);
        var summary = ImageEvaluationReport.Summary(result, fitted);
        if (json)
        {
            summary["report"] = page;
            Console.WriteLine(JsonOutput.Serialize(summary));
            return CommandRunner.ExitOk;
        }
        AnsiConsole.MarkupLine(Markup.Escape($"{result.Model}"));
        AnsiConsole.MarkupLine(Markup.Escape($"{result.Predictions.Count} pictures of {set.Source}{(half is int hv ? $" (half {hv} by identity)" : "")}; " +
            $"a face found in {100 * result.DetectionRate:0.0}% (the others count as wrong); {result.ImagesPerSecond:0.0} pictures/s"));
        foreach (var (label, count) in set.Unscored)
            AnsiConsole.MarkupLine(Markup.Escape($"not scored: {count} pictures labelled {label} (the model has no such class)"));
        foreach (var (file, reason) in set.Skipped)
            AnsiConsole.MarkupLine(Markup.Escape($"skipped: {file}: {reason}"));
        MetricsView.PrintTables(result.Metrics);
        AnsiConsole.MarkupLine(Markup.Escape($"calibration: expected calibration error {summary["ece"]:0.0000}" +
            (fitted is double t ? $"; fitted temperature {t:0.###} gives {summary["ece_at_fitted_temperature"]:0.0000}" : "")));
        AnsiConsole.MarkupLine(Markup.Escape(ImageEvaluationReport.LabelNoise));
        if (page != null) AnsiConsole.MarkupLine(Markup.Escape($"report: {page}"));
        return CommandRunner.ExitOk;
    }
}
