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

namespace VideoFer.Cli.Commands;

/// <summary>`videofer eval`: evaluates a clip-model checkpoint on an Aff-Wild2 split as the paper does
/// (§IV-D) and writes ABAW-format predictions for every frame.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A VideoFer clip-model checkpoint (e.g. RUN_DIR/best.pth).", Required = true };
        var affwild2 = new Option<DirectoryInfo>("--affwild2") { Description = "Aff-Wild2 root (any edition).", Required = true };
        var cropped = new Option<string[]>("--cropped") { Description = "cropped_aligned roots (repeatable); default: found under the root." };
        var split = new Option<string>("--split") { Description = "train or validation.", DefaultValueFactory = _ => "validation" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write ABAW-format predictions (one .txt per track). Default: predictions-<split> beside the checkpoint." };
        var png = new Option<FileInfo?>("--png") { Description = "Also draw the confusion matrix to this PNG." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var batch = new Option<int>("--batch-clips") { Description = "Clips per forward pass (at least 1).", DefaultValueFactory = _ => 8 };
        var baseSize = new Option<int?>("--base-size") { Description = "Resize faces to this side before the centre crop, instead of the side the checkpoint was trained with (its stored preprocessing; for checkpoints older than that, its train_config's base_size, else max(256, input size))." };
        var engine = new EngineCliOptions();
        var command = new Command("eval", "Evaluate a checkpoint on an Aff-Wild2 split (8-frame clips, zero padding, every frame once): Acc, F1, S, per-class F1, confusion matrix.")
        {
            checkpoint, affwild2, cropped, split, output, png, device, batch, baseSize, GlobalOptions.Json,
        };
        foreach (var o in engine.All) command.Options.Add(o);
        engine.AddValidator(command);
        command.SetAction(parse =>
        {
            string ckpt = parse.GetValue(checkpoint)!.FullName;
            int clipsPerBatch = OptionBounds.AtLeast(parse.GetValue(batch), 1, "--batch-clips");
            var dev = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            var engineOptions = engine.Read(parse);
            // Refused before the split loads.
            Models.Engines.EngineRule.Resolve(engineOptions.Engine, engineOptions.Precision, dev.type == TorchSharp.DeviceType.CPU);
            string splitName = parse.GetValue(split)!;
            var tracks = TrainingSources.LoadAffWild2Split(parse.GetValue(affwild2)!.FullName, parse.GetValue(cropped) ?? [], splitName);
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
            PerVideoSubmission.WriteAll(outDir, result.Tracks.Select(t => (t.Stem, (IReadOnlyList<int>)t.Labels)), info.Config.Classes);
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
                Console.WriteLine(JsonOutput.Serialize(o));
            }
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape($"{info.Describe()} on {tracks.Count} {splitName} tracks ({result.Metrics.Frames} scored frames; -1 frames excluded), " +
                    $"faces resized to {preprocessing.BaseSize} and centre-cropped to {preprocessing.InputSize}; {outcome.Engine}"));
                MetricsView.PrintTables(result.Metrics);
                AnsiConsole.MarkupLine(Markup.Escape($"predictions (ABAW format, every frame): {outDir}"));
                if (pngPath != null) AnsiConsole.MarkupLine(Markup.Escape($"confusion matrix: {pngPath}"));
            }
            return CommandRunner.ExitOk;
        });
        return command;
    }
}
