using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Faces.Tracking;
using VideoFer.Vision.Pipeline;
using VideoFer.Sharding;
using VideoFer.Vision.Prepare;
using VideoFer.Vision.Video;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer prepare VIDEO... --out DIR`: aligned face crops in the Aff-Wild2 layout, per-video
/// detection CSVs, resumable and shardable across machines.</summary>
public static class PrepareCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Videos, images, folders of frames, folders of videos (searched recursively), quoted globs ('videos/**/*.mp4') or @list.txt (one path a line).",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<string>("--out", "-o") { Description = "Output folder (cropped_aligned/, faces/).", Required = true };
        var size = new Option<string>("--size") { Description = "Crop side: 112 (Aff-Wild2), 256 (the paper) or both.", DefaultValueFactory = _ => "112" };
        size.AcceptOnlyFromAmong("112", "256", "both");
        var shard = SharedOptions.Shard();
        var detector = new Option<string>("--detector") { Description = "BlazeFace model: full (faces up to ~5 m) or short (close-ups).", DefaultValueFactory = _ => "full" };
        detector.AcceptOnlyFromAmong("full", "short");
        var tiles = new Option<int>("--tiles") { Description = "Tiles across the frame's short side, run besides the whole frame to find small faces (0: off; 2: about 7x slower).", DefaultValueFactory = _ => 2 }.Between(0, FaceDetectorOptions.MaxTilesPerShortSide);
        var minScore = new Option<float?>("--min-score") { Description = "Detection threshold in [0, 1] (default: MediaPipe's, 0.6 full / 0.5 short)." };
        var maxGap = new Option<int>("--max-gap") { Description = "Frames a face may be missed and keep its track.", DefaultValueFactory = _ => new TrackerOptions().MaxGap };
        var minTrack = new Option<int>("--min-track") { Description = "Drop tracks seen on fewer frames (spurious detections).", DefaultValueFactory = _ => 3 };
        var leftRight = new Option<bool>("--left-right") { Description = "With exactly two face tracks, name them <stem>_left/<stem>_right as Aff-Wild2 does (default <stem>_1/<stem>_2)." };
        var force = new Option<bool>("--force") { Description = "Redo videos already prepared." };
        var models = new Option<string?>("--models") { Description = $"Folder with the BlazeFace .tflite files (default: ${ModelLocator.EnvironmentVariable} or models/node_modules)." };

        var command = new Command("prepare", "Detect, track and align every face of every frame: cropped_aligned/<stem>[_<track>]/NNNNN.jpg and faces/<stem>.csv.");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { outDir, size, shard, detector, tiles, minScore, maxGap, minTrack, leftRight, force, models, GlobalOptions.Json })
            command.Options.Add(o);

        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(minScore) is float s && s is < 0 or > 1) throw new VideoFerException("--min-score must be in [0, 1]");
            if (parse.GetValue(maxGap) < 0) throw new VideoFerException("--max-gap must be 0 or more");
            var sizes = parse.GetValue(size) switch { "256" => new[] { 256 }, "both" => [112, 256], _ => [112] };
            var options = new PrepareOptions
            {
                OutputDirectory = parse.GetValue(outDir)!,
                Pipeline = new FacePipelineOptions
                {
                    CropSizes = sizes,
                    Detector = new FaceDetectorOptions
                    {
                        Model = parse.GetValue(detector) == "short" ? BlazeFaceModel.ShortRange : BlazeFaceModel.FullRange,
                        ModelDirectory = parse.GetValue(models),
                        MinScore = parse.GetValue(minScore),
                        TilesPerShortSide = parse.GetValue(tiles),
                    },
                    Tracker = new TrackerOptions { MaxGap = parse.GetValue(maxGap) },
                },
                MinTrackFrames = Math.Max(1, parse.GetValue(minTrack)),
                LeftRightNames = parse.GetValue(leftRight),
                Force = parse.GetValue(force),
            };
            var (shardSpec, shardSource) = ShardSpec.Resolve(parse.GetValue(shard), Environment.GetEnvironmentVariable);
            var all = ExpandInputs(parse.GetValue(inputs)!, options.OutputDirectory);
            // Before any work: a bad --out must not cost a whole video's detection.
            VideoFer.IO.OutputFolder.Prepare(options.OutputDirectory);
            var mine = all.Where(i => shardSpec.Contains(MediaSource.StemOf(i))).ToList();
            return Task.FromResult(Run(mine, all.Count, shardSpec, shardSource, options, parse.GetValue(GlobalOptions.Json), cancellationToken));
        });
        return command;
    }

    static int Run(List<string> inputs, int total, ShardSpec shard, string shardSource, PrepareOptions options, bool json, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            Console.Error.WriteLine($"videofer: shard {shard}: none of the {total} inputs falls in this share; nothing to do.");
            if (json) Console.WriteLine("[]");
            return CommandRunner.ExitOk;
        }
        if (shard.Count > 1 && !json)
            Console.WriteLine($"shard {shard} ({shardSource}): {inputs.Count} of {total} inputs");

        using var preparer = new VideoPreparer(options);
        var results = new List<PrepareResult>();
        var failures = new List<string>();
        void One(string input, Action<PrepareProgress>? progress)
        {
            try
            {
                var r = preparer.Prepare(input, progress, cancellationToken);
                results.Add(r);
                if (!json) AnsiConsole.MarkupLine(Markup.Escape(Describe(r)));
            }
            catch (VideoFerException e) when (inputs.Count > 1)
            {
                // Keep going with the rest of the corpus; the exit code reports the failure at the end.
                failures.Add(e.Message);
                Console.Error.WriteLine($"videofer: error: {e.Message}");
            }
        }

        if (!json && AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var videos = ctx.AddTask($"videos 0/{inputs.Count}", maxValue: inputs.Count);
                    var frames = ctx.AddTask("frames");
                    foreach (var input in inputs)
                    {
                        var clock = Stopwatch.StartNew();
                        frames.Value = 0;
                        One(input, p =>
                        {
                            frames.MaxValue = Math.Max(p.FrameCount, p.Frame);
                            frames.Value = p.Frame;
                            double fps = p.Frame / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                            frames.Description = Markup.Escape($"{p.Stem}: {p.Frame}/{p.FrameCount} frames, {fps:F1} fps, {p.Faces} faces");
                        });
                        videos.Increment(1);
                        videos.Description = $"videos {videos.Value:0}/{inputs.Count}";
                    }
                    frames.StopTask();
                });
        }
        else
        {
            foreach (var input in inputs) One(input, null);
        }

        if (json)
            Console.WriteLine(JsonOutput.Serialize(results.Select(r => new
            {
                input = r.Input, stem = r.Stem, skipped = r.Skipped, frames = r.Frames, faces = r.Faces,
                streams = r.FaceStreams, csv = r.CsvPath,
            })));
        if (failures.Count > 0)
        {
            // Not exit 1 (bad input): the run did its work, and a scheduler should see that some inputs need a look.
            Console.Error.WriteLine($"videofer: {failures.Count} of {inputs.Count} inputs failed (see above); the others were prepared");
            return CommandRunner.ExitSomeFailed;
        }
        return CommandRunner.ExitOk;
    }

    static string Describe(PrepareResult r)
    {
        if (r.Skipped) return $"{r.Stem}: already prepared, skipped (--force redoes it)";
        string frames = r.Frames == 1 ? "1 frame" : $"{r.Frames} frames";
        if (r.FaceStreams.Count == 0) return $"{r.Stem}: {frames}, no face found (empty outputs written)";
        var streams = r.FaceStreams.Count <= 4 ? string.Join(", ", r.FaceStreams) : $"{r.FaceStreams[0]} ... {r.FaceStreams[^1]}";
        return $"{r.Stem}: {frames}, {r.Faces} face crops in {r.FaceStreams.Count} track(s): {streams}";
    }

    /// <summary>The inputs as <see cref="MediaInputs"/> expands them (files, folders searched recursively,
    /// globs, @lists). Two inputs with one stem would write the same folders, so that is refused.</summary>
    internal static List<string> ExpandInputs(IEnumerable<string> given, string outputDirectory)
    {
        var list = MediaInputs.Expand(given, exclude: outputDirectory).Inputs.ToList();
        var clash = list.GroupBy(MediaSource.StemOf).FirstOrDefault(g => g.Count() > 1);
        if (clash != null)
            throw new VideoFerException($"{clash.First()} and {clash.Skip(1).First()} have the same name '{clash.Key}': their outputs would collide");
        return list;
    }
}
