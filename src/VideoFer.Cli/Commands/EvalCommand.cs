using System.CommandLine;
using TorchSharp;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Cli.Presentation;
using VideoFer.Data.Images;
using VideoFer.Models;
using VideoFer.Models.Runtime;
using VideoFer.Models.Weights;
using VideoFer.Submissions;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;

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
        var batch = new Option<int>("--batch-clips") { Description = "Clips per forward pass.", DefaultValueFactory = _ => 8 };
        var baseSize = new Option<int?>("--base-size") { Description = "Resize before the centre crop (default: from the checkpoint's training config, else 256)." };
        var command = new Command("eval", "Evaluate a checkpoint on an Aff-Wild2 split (8-frame clips, zero padding, every frame once): Acc, F1, S, per-class F1, confusion matrix.")
        {
            checkpoint, affwild2, cropped, split, output, png, device, batch, baseSize, GlobalOptions.Json,
        };
        command.SetAction(parse =>
        {
            string ckpt = parse.GetValue(checkpoint)!.FullName;
            var (model, info) = Checkpoint.Load(ckpt, expectedKind: ModelKind.Clip);
            using var net = (ExpressionNet)model;
            var dev = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            net.to(dev);
            Models.Inference.InferenceOptimizer.Optimize(net); // a loaded checkpoint is only evaluated here
            string splitName = parse.GetValue(split)!;
            var tracks = TrainingSources.LoadAffWild2Split(parse.GetValue(affwild2)!.FullName, parse.GetValue(cropped) ?? [], splitName);
            var images = new ImagePipelineOptions { BaseSize = parse.GetValue(baseSize) ?? Math.Max(256, info.Config.InputSize), CropSize = info.Config.InputSize };
            bool json = parse.GetValue(GlobalOptions.Json);
            EvaluationResult result = null!;
            void Work(IProgress<(long, long)>? progress) =>
                result = Evaluator.EvaluateClips(net, tracks, images, dev, parse.GetValue(batch), progress: progress);
            if (json) Work(null);
            else
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"evaluating {tracks.Count} tracks", maxValue: tracks.Sum(t => (double)t.FrameCount));
                        Work(new Progress<(long Done, long Total)>(p => task.Value = p.Done));
                        task.Value = task.MaxValue;
                    });
            string outDir = parse.GetValue(output)?.FullName ?? Path.Combine(Path.GetDirectoryName(ckpt)!, $"predictions-{splitName}");
            PerVideoSubmission.WriteAll(outDir, result.Tracks.Select(t => (t.Stem, (IReadOnlyList<int>)t.Labels)), info.Config.Classes);
            string? pngPath = parse.GetValue(png)?.FullName;
            if (pngPath != null) MetricsView.SaveConfusionPng(result.Metrics, pngPath);
            if (json)
            {
                var o = MetricsView.ToJson(result.Metrics);
                o["videos"] = tracks.Count;
                o["checkpoint"] = ckpt;
                o["arch"] = info.Config.Arch;
                o["split"] = splitName;
                o["predictions"] = outDir;
                o["missing_images"] = result.MissingImages;
                o["png"] = pngPath;
                Console.WriteLine(JsonSerializer.Serialize(o));
            }
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape($"{info.Describe()} on {tracks.Count} {splitName} tracks ({result.Metrics.Frames} scored frames; -1 frames excluded)"));
                MetricsView.PrintTables(result.Metrics);
                AnsiConsole.MarkupLine(Markup.Escape($"predictions (ABAW format, every frame): {outDir}"));
                if (pngPath != null) AnsiConsole.MarkupLine(Markup.Escape($"confusion matrix: {pngPath}"));
            }
            return CommandRunner.ExitOk;
        });
        return command;
    }
}
