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

    /// <summary>Something to say about an input before its turn (it changed since its results were made).</summary>
    void Note(CorpusInput input, string text) { }
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
/// <remarks>Photos (single pictures) go another way: several at once, one worker per core each with its own models
/// (<paramref name="photoPredictor"/> makes the extra workers' models; without it one worker uses
/// <paramref name="predictor"/>), each photo's lean outputs written by its worker (<see cref="Photos.PhotoOutputs"/>).</remarks>
public sealed class CorpusPredictor(IExpressionPredictor predictor, FacePipelineOptions? faceOptions, CorpusSettings settings,
    Func<IExpressionPredictor>? photoPredictor = null)
{
    /// <summary>Photo workers: one per core (the models run single-threaded each).</summary>
    public int PhotoWorkers { get; init; } = photoPredictor is null ? 1 : Math.Max(1, Environment.ProcessorCount);

    public CorpusReport Run(CorpusFolder folder, IReadOnlyList<CorpusInput> share, bool force, ICorpusProgress? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        folder.Begin(predictor.ClassNames);
        var results = new List<InputResult>();
        // Lock-free look: inputs already complete are not planned (each is checked again under its lock).
        var todo = share.Where(i => force || folder.StateOf(i) != InputState.Completed).ToList();
        foreach (var input in todo.Where(i => !force && CorpusFolder.Changed(folder.Root, i)))
            progress?.Note(input, "changed since its results were made (size or modification time): predicted again");
        foreach (var input in share.Except(todo)) results.Add(Skipped(folder, input));
        progress?.Planned(todo, results.Count);
        foreach (var r in results) progress?.InputFinished(r);

        var photos = todo.Where(i => MediaSource.IsImagePath(i.Source) && File.Exists(i.Source)).ToList();
        if (photos.Count > 0)
        {
            RunPhotos(folder, photos, force, r => { results.Add(r); progress?.InputFinished(r); }, progress, ct);
            todo = [.. todo.Except(photos)];
        }
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
                string fingerprint = InputFingerprint.Of(input.Source); // what the results are made from
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
                writing = Task.Run(() => Write(folder, target, input, prediction, ct, fingerprint));
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

    /// <summary>The photos, <see cref="PhotoWorkers"/> at a time: each worker opens a photo's folder, analyses the photo
    /// and writes its outputs; the results come back here, on the calling thread, in the order they finish.</summary>
    void RunPhotos(CorpusFolder folder, IReadOnlyList<CorpusInput> photos, bool force, Action<InputResult> finished, ICorpusProgress? progress, CancellationToken ct)
    {
        int workers = Math.Min(PhotoWorkers, photos.Count);
        var queue = new System.Collections.Concurrent.ConcurrentQueue<CorpusInput>(photos);
        using var done = new System.Collections.Concurrent.BlockingCollection<InputResult>();
        // Several workers on the cores: each runs libtorch and OpenCV on one thread, as their pools would
        // otherwise take every core each (restored afterwards).
        int torchThreads = TorchSharp.torch.get_num_threads(), cvThreads = OpenCvSharp.Cv2.GetNumThreads();
        if (workers > 1)
        {
            TorchSharp.torch.set_num_threads(1);
            OpenCvSharp.Cv2.SetNumThreads(1);
        }
        var tasks = new List<Task>();
        try
        {
            for (int w = 0; w < workers; w++)
            {
                var model = w == 0 && photoPredictor is null ? predictor : photoPredictor!();
                bool owned = !ReferenceEquals(model, predictor);
                tasks.Add(Task.Factory.StartNew(() =>
                {
                    using var analyzer = new Photos.PhotoAnalyzer(owned ? model : new Unowned(model), faceOptions, settings.Linking(), identities: settings.People);
                    while (!ct.IsCancellationRequested && queue.TryDequeue(out var input))
                        done.Add(Photo(folder, analyzer, input, force, ct));
                }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            var all = Task.WhenAll(tasks).ContinueWith(_ => done.CompleteAdding(), TaskScheduler.Default);
            foreach (var result in done.GetConsumingEnumerable())
            {
                if (result.Outcome == InputOutcome.Done) progress?.InputStarted(result.Input);
                finished(result);
            }
            all.Wait(CancellationToken.None);
            Task.WaitAll(tasks.ToArray(), CancellationToken.None); // rethrows a worker's unexpected failure
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            OpenCvSharp.Cv2.SetNumThreads(cvThreads);
        }
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>One photo, on a worker: its folder taken, the photo analysed and its outputs written as one set.</summary>
    InputResult Photo(CorpusFolder folder, Photos.PhotoAnalyzer analyzer, CorpusInput input, bool force, CancellationToken ct)
    {
        OutputFolder target;
        try { target = folder.OpenInput(input); }
        catch (FolderBusyException e) { return new InputResult(input, InputOutcome.Busy, null, e.Message); }
        catch (VideoFerException e) { return Fail(folder, input, e); }
        if (!force && folder.StateOf(input) == InputState.Completed)
            using (target) return Skipped(folder, input);
        return Staged(folder, target, input, staging =>
        {
            string fingerprint = InputFingerprint.Of(input.Source);
            var photo = analyzer.Analyze(input.Source, out var image);
            using (image) Photos.PhotoOutputs.Write(staging, photo, image, settings.AnnotatedVideo, fingerprint, settings.People);
        });
    }

    /// <summary>The corpus's own predictor lent to a photo worker: the worker's analyzer must not dispose it.</summary>
    sealed class Unowned(IExpressionPredictor inner) : IExpressionPredictor
    {
        public string Description => inner.Description;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public IReadOnlyList<int> CropSizes => inner.CropSizes;
        public bool NeedsFrameImage => inner.NeedsFrameImage;
        public IReadOnlyList<PredictionRecord> Add(FrameFaces frame) => inner.Add(frame);
        public IReadOnlyList<PredictionRecord> Finish() => inner.Finish();
        public void Dispose() { }
    }

    InputResult Write(CorpusFolder folder, OutputFolder target, CorpusInput input, VideoPrediction prediction, CancellationToken ct, string fingerprint) =>
        Staged(folder, target, input, staging =>
        {
            PredictionOutputs.Write(staging, prediction, settings.AnnotatedVideo, ct, trackFiles: settings.TrackFiles,
                report: settings.Report, settings: ReportSettings(settings));
            var summary = PredictionOutputs.Summary(prediction, null).Where(kv => kv.Value != null).ToDictionary();
            summary["source"] = input.Source;
            summary["fingerprint"] = fingerprint;
            AtomicFile.WriteText(Path.Combine(staging, CorpusFolder.InputSummaryFile),
                w => w.Write(JsonOutput.Serialize(summary, indented: true)));
        });

    /// <summary>An input's outputs written by <paramref name="write"/> into a staging folder of <paramref name="target"/>
    /// and swapped in whole; on a failure the staging folder goes and the input is recorded as failed.</summary>
    static InputResult Staged(CorpusFolder folder, OutputFolder target, CorpusInput input, Action<string> write)
    {
        using (target)
        {
            string staging = target.Stage();
            try
            {
                write(staging);
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
        string error = OutputFolder.WithoutStaging(e is VideoFerException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}");
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
