using System.Diagnostics;
using System.Text.Json;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.Predictors;
using VideoFer.IO;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;
using VideoFer.Formats;

namespace VideoFer.Inference.Corpus;

/// <summary>What happened to one input in this run.</summary>
public enum InputOutcome
{
    /// <summary>Predicted and written now.</summary>
    Done,
    /// <summary>Completed by an earlier run (or another shard): left as it is.</summary>
    Skipped,
    /// <summary>Failed: its error is in summary.csv; the other inputs went on.</summary>
    Failed,
    /// <summary>Another live run is writing it: left to that run.</summary>
    Busy,
}

/// <summary>One input's result in this run. <see cref="Summary"/> holds its numbers when it has them
/// (done, or skipped because complete); <see cref="Exception"/> what made it fail.</summary>
public sealed record InputResult(CorpusInput Input, InputOutcome Outcome, CorpusFiles.InputSummary? Summary, string? Error, Exception? Exception = null);

/// <summary>What a corpus run tells while it works. Every call comes from the thread that called
/// <see cref="CorpusPredictor.Run"/>.</summary>
public interface ICorpusProgress
{
    /// <summary>The inputs this run will predict (the others of its share are complete; see
    /// <see cref="CorpusPredictor.DeclaredFrames"/> for an ETA).</summary>
    void Planned(IReadOnlyList<CorpusInput> todo, int skipped);
    void InputStarted(CorpusInput input);
    /// <summary>Frames of the current input read so far.</summary>
    void Frames(CorpusInput input, int done, int total);
    void InputFinished(InputResult result);
}

/// <summary>The report of a corpus run: every input of this run's share, and the corpus files if the
/// corpus is complete now (otherwise the inputs still pending, e.g. in shards not finished yet).</summary>
public sealed record CorpusReport(IReadOnlyList<InputResult> Results, CorpusFiles.Outcome Files, double Seconds)
{
    public int Count(InputOutcome outcome) => Results.Count(r => r.Outcome == outcome);
    public long FramesDone => Results.Where(r => r.Outcome == InputOutcome.Done).Sum(r => (long)(r.Summary?.Frames ?? 0));
}

/// <summary>predict over a corpus: one model and one face detector for all inputs, each input's outputs
/// in its own folder (staged and swapped in whole, recorded in its manifest), failures recorded and
/// passed over, then the corpus files once nothing is pending. While one input's outputs are written
/// (the annotated video decodes it a second time, the timelines are drawn), the next input is already
/// decoded, detected and classified: the two overlap on separate threads.</summary>
public sealed class CorpusPredictor(IExpressionPredictor predictor, FacePipelineOptions? faceOptions, CorpusSettings settings)
{
    public CorpusReport Run(CorpusFolder folder, IReadOnlyList<CorpusInput> share, bool force, ICorpusProgress? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        folder.Begin(predictor.ClassNames);
        var results = new List<InputResult>();
        // Lock-free look: inputs already complete are not planned (each is checked again under its lock).
        var todo = share.Where(i => force || folder.StateOf(i) != InputState.Completed).ToList();
        foreach (var input in share.Except(todo)) results.Add(Skipped(folder, input));
        progress?.Planned(todo, results.Count);
        foreach (var r in results) progress?.InputFinished(r);

        using var videos = new VideoPredictor(predictor, faceOptions, settings.Linking());
        Task<InputResult>? writing = null;
        void Finished(InputResult r)
        {
            results.Add(r);
            progress?.InputFinished(r);
        }
        void AwaitWriting()
        {
            if (writing is null) return;
            var w = writing;
            writing = null;
            Finished(w.GetAwaiter().GetResult());
        }
        try
        {
            foreach (var input in todo)
            {
                ct.ThrowIfCancellationRequested();
                OutputFolder target;
                try
                {
                    target = folder.OpenInput(input);
                }
                catch (FolderBusyException e)
                {
                    AwaitWriting();
                    Finished(new InputResult(input, InputOutcome.Busy, null, e.Message));
                    continue;
                }
                catch (VideoFerException e)
                {
                    AwaitWriting();
                    Finished(Fail(folder, input, e));
                    continue;
                }
                if (!force && folder.StateOf(input) == InputState.Completed)
                {
                    target.Dispose(); // another run completed it since the plan
                    AwaitWriting();
                    Finished(Skipped(folder, input));
                    continue;
                }
                progress?.InputStarted(input);
                VideoPrediction prediction;
                try
                {
                    prediction = videos.Run(input.Source, settings.Smooth, progress is null ? null : new Forward(p =>
                    {
                        // The previous input's line as soon as its outputs are written, not after this input.
                        if (writing is { IsCompleted: true }) AwaitWriting();
                        progress.Frames(input, p.Done, p.Total);
                    }), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    target.Dispose();
                    AwaitWriting();
                    Finished(Fail(folder, input, e));
                    continue;
                }
                AwaitWriting(); // one input's outputs at a time: the writer holds one prediction in memory
                writing = Task.Run(() => Write(folder, target, input, prediction, ct));
            }
            AwaitWriting();
        }
        finally
        {
            // Interrupted: let the input being written finish (or fail) before the folder is released.
            if (writing is not null) try { writing.Wait(CancellationToken.None); } catch (Exception) { }
        }
        var files = folder.WriteCorpusFiles();
        return new CorpusReport(results, files, clock.Elapsed.TotalSeconds);
    }

    InputResult Write(CorpusFolder folder, OutputFolder target, CorpusInput input, VideoPrediction prediction, CancellationToken ct)
    {
        using (target)
        {
            string staging = target.Stage();
            try
            {
                PredictionOutputs.Write(staging, prediction, settings.AnnotatedVideo, ct, trackFiles: settings.TrackFiles,
                    report: settings.Report, settings: ReportSettings(settings));
                var summary = PredictionOutputs.Summary(prediction, null).Where(kv => kv.Value != null).ToDictionary();
                summary["source"] = input.Source;
                AtomicFile.WriteText(Path.Combine(staging, CorpusFolder.InputSummaryFile),
                    w => w.Write(JsonOutput.Serialize(summary, indented: true)));
                // Failure record first, outputs second: a kill in between leaves the input pending, never
                // complete-looking with an old error or failed-looking with new outputs.
                folder.ClearFailure(input);
                target.Commit(staging, input.Source);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PathGuard.Delete(target.Root, staging);
                return Fail(folder, input, e);
            }
        }
        return new InputResult(input, InputOutcome.Done, CorpusFiles.ReadSummary(folder.InputFolder(input)), null);
    }

    /// <summary>The settings an input's report lists: the corpus's.</summary>
    internal static PredictionReport.Settings ReportSettings(CorpusSettings s) => new(
    [
        new("smoothing", s.Smooth == 0 ? "off" : $"±{s.Smooth} frames (--smooth)"),
        new("detector tiles", $"{s.Tiles} per short side (--tiles)"),
        new("people", s.People
            ? $"linked (--max-people {s.MaxPeople?.ToString() ?? "none"}, --min-person-frames {s.MinPersonFrames})"
            : "off: tracks only"),
        .. s.BaseSize is int b ? [new KeyValuePair<string, string>("base size", $"{b} (--base-size)")] : Array.Empty<KeyValuePair<string, string>>(),
    ])
    {
        Index = $"../{CorpusFiles.Report}", // the corpus's index page, written once no input is pending
    };

    static InputResult Skipped(CorpusFolder folder, CorpusInput input) =>
        new(input, InputOutcome.Skipped, CorpusFiles.ReadSummary(folder.InputFolder(input)), null);

    static InputResult Fail(CorpusFolder folder, CorpusInput input, Exception e)
    {
        // A VideoFerException's message is the user's one line; anything else is a bug, named as such.
        string error = e is VideoFerException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}";
        folder.RecordFailure(input, error);
        return new InputResult(input, InputOutcome.Failed, null, CorpusFolder.OneLine(error), e);
    }

    /// <summary>Frames an input declares (a video's header, a folder's images), 0 when it cannot be opened.</summary>
    public static int DeclaredFrames(CorpusInput input)
    {
        try
        {
            using var source = MediaSource.Open(input.Source);
            return source.FrameCount;
        }
        catch (Exception) { return 0; } // it fails again, with its message, when its turn comes
    }

    /// <summary>Reports synchronously on the thread that reports (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class Forward(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
