using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using VideoFer.Data.Synthetic;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer data synth`: writes a synthetic dataset in an Aff-Wild2 layout (2020 by default) with
/// expression, valence-arousal and action unit annotations, plus AffectNet-style stills, so training can be
/// tried without licensed data.</summary>
public static class DataSynthCommand
{
    public static Command Create()
    {
        var defaults = new SynthOptions();
        var output = new Option<string>("--out") { Description = "Folder to create (must not exist, or be empty).", Required = true };
        var videos = new Option<int>("--videos") { Description = "Number of videos; about one in five has two people (_left/_right tracks).", DefaultValueFactory = _ => defaults.Videos };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed writes the same bytes.", DefaultValueFactory = _ => 0 };
        var framesMin = new Option<int>("--frames-min") { Description = "Fewest frames per video.", DefaultValueFactory = _ => defaults.FramesMin };
        var framesMax = new Option<int>("--frames-max") { Description = "Most frames per video.", DefaultValueFactory = _ => defaults.FramesMax };
        var size = new Option<int>("--size") { Description = "Side of the square face crops in pixels.", DefaultValueFactory = _ => defaults.Size };
        var affectnet = new Option<int>("--affectnet-images") { Description = "AffectNet-style still images to write (0 for none).", DefaultValueFactory = _ => defaults.AffectNetImages };
        var tasks = new Option<string>("--tasks") { Description = "Annotation files to write: expr, va, au, comma-separated.", DefaultValueFactory = _ => "expr,va,au" };
        var edition = new Option<string>("--edition") { Description = "Aff-Wild2 edition whose layout, header and AU list to follow: 2020, 2021, 2022, 2023 or 2024.", DefaultValueFactory = _ => "2020" };
        var missingTaskTracks = new Option<double>("--missing-task-tracks") { Description = "Fraction of tracks without a VA file, and independently without an AU file.", DefaultValueFactory = _ => defaults.MissingTaskTracks };
        var missingExprTracks = new Option<double>("--missing-expr-tracks") { Description = "Fraction of tracks without an EXPR file.", DefaultValueFactory = _ => defaults.MissingExpressionTracks };
        var unannotatedFrames = new Option<double>("--unannotated-frames") { Description = "Fraction of the frames of VA and AU files left unannotated (-5 / -1), in runs.", DefaultValueFactory = _ => defaults.UnannotatedFrames };
        var mtl = new Option<bool>("--mtl") { Description = "Also write the multi-task lists training_set_annotations.txt / validation_set_annotations.txt (edition 2022)." };
        var workers = new Option<int>("--workers") { Description = "Rendering threads (does not change the output).", DefaultValueFactory = _ => defaults.Workers };

        var command = new Command("synth", "Write a synthetic dataset: an Aff-Wild2 layout (2020 by default: annotations/EXPR_Set, VA_Set, AU_Set, cropped_aligned) and an AffectNet-style list.");
        foreach (var o in new Option[] { output, videos, seed, framesMin, framesMax, size, affectnet, tasks, edition, missingTaskTracks, missingExprTracks, unannotatedFrames, mtl, workers, GlobalOptions.Json })
            command.Options.Add(o);
        command.SetAction((parse, ct) =>
        {
            var options = new SynthOptions
            {
                Videos = parse.GetValue(videos),
                Seed = parse.GetValue(seed),
                FramesMin = parse.GetValue(framesMin),
                FramesMax = parse.GetValue(framesMax),
                Size = parse.GetValue(size),
                AffectNetImages = parse.GetValue(affectnet),
                Workers = parse.GetValue(workers),
                Tasks = AbawTaskNames.Parse(parse.GetValue(tasks)!),
                Edition = AffWild2Editions.Parse(parse.GetValue(edition)!),
                MissingTaskTracks = parse.GetValue(missingTaskTracks),
                MissingExpressionTracks = parse.GetValue(missingExprTracks),
                UnannotatedFrames = parse.GetValue(unannotatedFrames),
                MultiTaskFiles = parse.GetValue(mtl),
            };
            options.Validate();
            string target = Path.GetFullPath(parse.GetValue(output)!);
            bool json = parse.GetValue(GlobalOptions.Json);
            var writer = new SyntheticDatasetWriter(options);

            var clock = Stopwatch.StartNew();
            SynthSummary summary;
            if (json)
                summary = writer.Write(target, null, ct);
            else
            {
                SynthSummary? result = null;
                AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DoneOfTotalColumn(), new RateColumn(),
                             new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("rendering", maxValue: 1);
                        result = writer.Write(target, (done, total) =>
                        {
                            lock (task)
                            {
                                task.MaxValue = total;
                                if (done > task.Value) task.Value = done;
                            }
                        }, ct);
                    });
                summary = result!;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            long rendered = summary.Images + summary.AffectNetImages;

            if (json)
            {
                var doc = JsonSerializer.SerializeToNode(summary, JsonOutput.With(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }))!.AsObject();
                doc["path"] = target;
                doc["seconds"] = Math.Round(seconds, 3);
                doc["images_per_second"] = Math.Round(rendered / Math.Max(seconds, 1e-9), 1);
                Console.WriteLine(doc.ToJsonString());
                return Task.FromResult(CommandRunner.ExitOk);
            }
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv,
                $"Wrote {target}: {summary.Videos} videos, {summary.Tracks} tracks ({summary.TrainingTracks} training, {summary.ValidationTracks} validation), " +
                $"{summary.Frames} frames ({summary.MissingImages} without image, {summary.IgnoredFrames} labelled -1), {summary.AffectNetImages} AffectNet images."));
            var perTask = summary.AnnotatedFrames.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value} frames in {summary.AnnotatedTracks[kv.Key]} tracks"));
            string lists = summary.MultiTaskRows > 0 ? string.Create(inv, $"; multi-task lists {summary.MultiTaskRows} rows") : "";
            Console.WriteLine($"Annotated ({summary.Layout}): {string.Join("; ", perTask)}{lists}.");
            Console.WriteLine(string.Create(inv, $"{rendered} images in {seconds:F1} s ({rendered / Math.Max(seconds, 1e-9):F0} images/s)."));
            return Task.FromResult(CommandRunner.ExitOk);
        });
        return command;
    }

    /// <summary>"done/total" images.</summary>
    sealed class DoneOfTotalColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value:0}/{task.MaxValue:0}"));
    }

    /// <summary>Images per second.</summary>
    sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is double s ? string.Create(CultureInfo.InvariantCulture, $"{s:0}/s") : "-/s");
    }
}
