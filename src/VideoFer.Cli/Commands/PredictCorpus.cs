using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Inference.Corpus;
using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Runtime;
using VideoFer.Sharding;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Pipeline;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer predict` over many inputs: parses into a <see cref="CorpusPredictor"/> run and
/// presents it (progress over the corpus, one line per finished input, the corpus files, --json).</summary>
public static class PredictCorpus
{
    public sealed record Request(
        IReadOnlyList<string> Inputs, string OutDir, ModelChoice Model, int Smooth, int Tiles, bool AnnotatedVideo, bool Report, string Device,
        int? BaseSize, bool Force, string? Shard, bool Json, bool Quiet, bool Verbose, PeopleOptions People, bool TrackFiles)
    {
        /// <summary>The checkpoint's engine and precision (one predictor, so one ONNX Runtime session, for the whole corpus).</summary>
        public Models.Engines.EngineOptions Engine { get; init; } = new();

        /// <summary>--faces: detect or whole.</summary>
        public string Faces { get; init; } = "detect";

        /// <summary>Files the command line's folders held that are no input, with the reason.</summary>
        public IReadOnlyList<SkippedInput> Skipped { get; init; } = [];
    }

    public static int Run(Request request)
    {
        var (shard, shardSource) = ShardSpec.Resolve(request.Shard, Environment.GetEnvironmentVariable);
        var inputs = CorpusInput.Assign(request.Inputs);
        var settings = new CorpusSettings(request.Model.Name, request.Smooth, request.Tiles, request.AnnotatedVideo, request.BaseSize,
            request.People.Enabled, request.People.MaxPeople, request.People.MinPersonFrames, request.TrackFiles)
        {
            Report = request.Report,
            Faces = request.Faces,
        };
        // Before the model loads or a frame is read: the folder must be usable and hold nothing to mix with.
        using var folder = CorpusFolder.Open(request.OutDir, inputs, settings, shard, request.Force, request.Skipped);
        var share = inputs.Where(i => shard.Contains(i.Name)).ToList();
        bool talk = !request.Json && !request.Quiet;
        if (talk)
        {
            string of = shard.Count > 1 ? $"; shard {shard} ({shardSource}): {share.Count} of them" : "";
            Console.WriteLine($"corpus of {inputs.Count} inputs{of}; {folder.Root}: {folder.Change}");
        }
        // Files given or found that are not inputs: said at once on stderr (also with --quiet or --json), and listed
        // in summary.csv.
        foreach (var skipped in request.Skipped)
            Console.Error.WriteLine($"videofer: skipped {skipped.Source}: {skipped.Reason}");
        if (share.Count == 0)
        {
            Console.Error.WriteLine($"videofer: shard {shard}: none of the {inputs.Count} inputs falls in this share; nothing to do.");
            if (request.Json) Console.WriteLine(JsonOutput.Serialize(new { inputs = inputs.Count, shard = shard.ToString(), results = Array.Empty<object>() }));
            return CommandRunner.ExitOk;
        }

        using IExpressionPredictor predictor = request.Model.Open(TorchRuntime.ResolveDevice(request.Device), request.BaseSize, request.Engine);
        if (talk) Console.WriteLine(predictor.Description);
        var faces = new FacePipelineOptions { Detector = new FaceDetectorOptions { TilesPerShortSide = request.Tiles }, Faces = FacesOption.Read(request.Faces) };
        var device = TorchRuntime.ResolveDevice(request.Device);
        var corpus = new CorpusPredictor(predictor, faces, settings, photoPredictor: () => request.Model.Open(device, request.BaseSize, request.Engine));

        CorpusReport report;
        var lines = new Lines(request, share.Count);
        if (talk && AnsiConsole.Profile.Capabilities.Interactive)
        {
            report = null!;
            AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx => report = corpus.Run(folder, share, request.Force, new Bars(ctx, lines)));
        }
        else
        {
            report = corpus.Run(folder, share, request.Force, request.Json ? null : lines);
        }
        return Finish(report, request, inputs.Count, shard, folder.Root);
    }

    static int Finish(CorpusReport report, Request request, int total, ShardSpec shard, string root)
    {
        int failed = report.Count(InputOutcome.Failed), busy = report.Count(InputOutcome.Busy);
        if (request.Json)
        {
            Console.WriteLine(JsonOutput.Serialize(new
            {
                inputs = total,
                shard = shard.ToString(),
                done = report.Count(InputOutcome.Done),
                skipped = report.Count(InputOutcome.Skipped),
                failed,
                busy,
                seconds = Math.Round(report.Seconds, 2),
                corpus_files = report.Files.Written ? report.Files.Files : null,
                pending = report.Files.Pending.Select(p => p.Name),
                not_inputs = request.Skipped,
                results = report.Results.Select(r => new
                {
                    name = r.Input.Name,
                    source = r.Input.Source,
                    status = r.Outcome.ToString().ToLowerInvariant(),
                    frames = r.Summary?.Frames,
                    frames_with_face = r.Summary?.FramesWithFace,
                    faces = r.Summary?.Faces,
                    tracks = r.Summary?.Tracks,
                    people = r.Summary?.PeopleCount,
                    label_counts = r.Summary?.LabelCounts,
                    seconds = r.Summary?.Seconds,
                    error = r.Error,
                }),
            }));
        }
        else
        {
            if (request.Verbose)
                foreach (var r in report.Results.Where(r => r.Exception is not null and not VideoFerException))
                    Console.Error.WriteLine($"{r.Input.Source}:\n{r.Exception}");
            double fps = report.Seconds > 0 ? report.FramesDone / report.Seconds : 0;
            Console.WriteLine($"{report.Count(InputOutcome.Done)} done, {report.Count(InputOutcome.Skipped)} already complete, {failed} failed" +
                              (busy > 0 ? $", {busy} left to another run" : "") + $" of {report.Results.Count} inputs" +
                              (request.Skipped.Count > 0 ? $" ({request.Skipped.Count} other files skipped, listed in summary.csv)" : "") +
                              (shard.Count > 1 ? $" (shard {shard})" : "") + $" in {report.Seconds:0.0} s, {fps:0.0} frames/s");
            if (report.Files.Written)
            {
                Console.WriteLine($"corpus files: {string.Join(", ", report.Files.Files.Select(Path.GetFileName))} in {root}");
                if (report.Files.Files.FirstOrDefault(f => Path.GetFileName(f) == CorpusFiles.Report) is { } page)
                    Console.WriteLine($"report: {page}");
            }
            else
                Console.WriteLine($"corpus files not written yet: {report.Files.Pending.Count} of {total} inputs pending " +
                                  $"(other shards, or interrupted runs); the last shard to finish writes them, or run `videofer merge {root}`");
        }
        if (failed > 0 || busy > 0)
        {
            Console.Error.WriteLine($"videofer: {failed + busy} of {report.Results.Count} inputs {(busy > 0 ? "not completed" : "failed")} (see {Path.Combine(root, CorpusFiles.Summary)} and above); the others are complete");
            return CommandRunner.ExitSomeFailed;
        }
        return CommandRunner.ExitOk;
    }

    /// <summary>One line per finished input, with where the corpus run stands (for logs and terminals).</summary>
    sealed class Lines(Request request, int share) : ICorpusProgress
    {
        readonly Stopwatch _clock = new();
        IReadOnlyList<CorpusInput> _todo = [];
        long _framesDone, _framesTotal;
        int _finished;
        readonly Dictionary<string, int> _declared = [];

        /// <summary>Frames per second over this run, and the frames still to do, for the ETA.</summary>
        public (double Fps, long Remaining) Rate(long currentFrames) =>
            (_clock.Elapsed.TotalSeconds > 0 ? (_framesDone + currentFrames) / _clock.Elapsed.TotalSeconds : 0,
             Math.Max(0, _framesTotal - _framesDone - currentFrames));

        public long FramesTotal => _framesTotal;

        public void Planned(IReadOnlyList<CorpusInput> todo, int skipped)
        {
            _todo = todo;
            _clock.Restart(); // the model has loaded: from here on, the rate is the corpus's
            // Headers only (milliseconds per input), for an ETA over the whole run.
            foreach (var i in todo) _declared[i.Name] = CorpusPredictor.DeclaredFrames(i);
            _framesTotal = _declared.Values.Sum(v => (long)v);
        }

        public void InputStarted(CorpusInput input) { }
        public void Frames(CorpusInput input, int done, int total) { }

        public void Note(CorpusInput input, string text)
        {
            if (!request.Quiet) Write($"{input.Name}: {text}");
        }

        public void InputFinished(InputResult r)
        {
            _finished++;
            if (r.Outcome == InputOutcome.Done) _framesDone += _declared.GetValueOrDefault(r.Input.Name, r.Summary?.Frames ?? 0);
            else if (_declared.TryGetValue(r.Input.Name, out int d)) _framesTotal -= d; // nothing more to do there
            string line = r.Outcome switch
            {
                InputOutcome.Done => $"{r.Input.Name}: {Describe(r.Summary!)}",
                InputOutcome.Skipped => $"{r.Input.Name}: already complete, skipped (--force redoes it)",
                InputOutcome.Busy => $"{r.Input.Name}: left to another run: {r.Error}",
                _ => $"{r.Input.Name}: failed: {r.Error}",
            };
            if (r.Outcome is InputOutcome.Failed or InputOutcome.Busy)
                Console.Error.WriteLine($"videofer: error: {(r.Error!.Contains(r.Input.Source) ? "" : r.Input.Source + ": ")}{r.Error}");
            if (request.Quiet) return;
            var (fps, remaining) = Rate(0);
            string eta = r.Outcome == InputOutcome.Skipped || fps <= 0 ? "" : $"; {fps:0.0} frames/s, ETA {Format(TimeSpan.FromSeconds(remaining / fps))}";
            Write($"[{_finished}/{share}] {line}{eta}");
        }

        public Action<string> Write { get; set; } = line => Console.WriteLine(line);

        static string Describe(CorpusFiles.InputSummary s)
        {
            var top = s.LabelCounts.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).Take(2)
                .Select(kv => $"{kv.Key} {100.0 * kv.Value / Math.Max(1, s.Faces):0}%");
            if (s.IsPhoto)
                return $"photo, {(s.Faces == 0 ? "no face found" : s.Faces == 1 ? "1 face" : $"{s.Faces} faces")}" +
                       (s.Faces > 0 ? $" ({string.Join(", ", s.LabelCounts.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).Select(kv => s.Faces == 1 ? kv.Key : $"{kv.Value} {kv.Key}"))})" : "");
            return $"{s.Frames} frames, {s.Faces} faces in {s.Tracks} tracks" + (s.PeopleCount is int people ? $", {people} {(people == 1 ? "person" : "people")}" : "") + (s.Faces > 0 ? $" ({string.Join(", ", top)})" : "") +
                   $", {(s.Seconds > 0 ? s.Frames / s.Seconds : 0):0.0} frames/s";
        }

        static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s" : $"{t.Seconds}s";
    }

    /// <summary>Spectre bars on a terminal: the corpus (inputs done/total, frames, ETA) and the current
    /// input; finished inputs print their line above them.</summary>
    sealed class Bars(ProgressContext ctx, Lines lines) : ICorpusProgress
    {
        ProgressTask? _corpus, _input;
        int _done, _count;
        long _base;

        public void Planned(IReadOnlyList<CorpusInput> todo, int skipped)
        {
            lines.Write = line => AnsiConsole.MarkupLine(Markup.Escape(line));
            lines.Planned(todo, skipped);
            _count = todo.Count;
            _corpus = ctx.AddTask($"inputs 0/{_count}", maxValue: Math.Max(1, lines.FramesTotal));
            _input = ctx.AddTask("starting", maxValue: 1); // one bar, reused by each input in turn
        }

        public void Note(CorpusInput input, string text) => lines.Note(input, text);

        public void InputStarted(CorpusInput input)
        {
            if (_input is null) return;
            _input.MaxValue = 1;
            _input.Value = 0;
            _input.Description = Markup.Escape(input.Name);
        }

        public void Frames(CorpusInput input, int done, int total)
        {
            if (_input is null || _corpus is null) return;
            _input.MaxValue = Math.Max(1, total);
            _input.Value = done;
            var (fps, _) = lines.Rate(done);
            _input.Description = Markup.Escape($"{input.Name}: {done}/{total} frames, {fps:0.0} frames/s");
            _corpus.MaxValue = Math.Max(_corpus.MaxValue, _base + done);
            _corpus.Value = _base + done;
        }

        public void InputFinished(InputResult r)
        {
            lines.InputFinished(r);
            if (_corpus is null || r.Outcome == InputOutcome.Skipped) return;
            if (_input is not null) _input.Value = _input.MaxValue;
            _done++;
            _base = lines.Rate(0).Remaining is var rem ? lines.FramesTotal - rem : _base;
            _corpus.MaxValue = Math.Max(1, lines.FramesTotal);
            _corpus.Value = _base;
            _corpus.Description = $"inputs {_done}/{_count}";
        }
    }
}
