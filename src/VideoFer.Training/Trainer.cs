using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Clips;
using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Datasets;
using VideoFer.Models;
using VideoFer.Models.Runtime;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using VideoFer.Training.Optimization;
using VideoFer.Training.Reporting;
using VideoFer.Training.Runs;
using VideoFer.Submissions;
using static TorchSharp.torch;
using VideoFer.IO;

namespace VideoFer.Training;

/// <summary>What a trainer reports while it runs (the CLI draws a progress bar from it).</summary>
public interface ITrainingObserver
{
    void Started(TrainConfig config, long firstIteration, string summary) { }
    void Iteration(long iteration, double loss, double secondsPerIteration) { }
    void Checkpointed(long iteration, string path) { }
    void Validated(long iteration, EvaluationResult result, bool isBest) { }
    void Message(string text) { }
}

/// <summary>A run stopped because a loss or gradient was not finite; the run directory stays resumable.</summary>
public sealed class TrainingDivergedException(string message) : VideoFerException(message);

/// <summary>How a run ended.</summary>
/// <param name="BestScoreName">What <paramref name="BestScore"/> measures: "S" for expressions, or a VA, AU or multi-task figure.</param>
public sealed record TrainingOutcome(long Iteration, bool Interrupted, double BestScore, long BestIteration, string RunDirectory, string BestScoreName = "S");

/// <summary>The paper's training protocol (§IV-C): SGD on cross-entropy; each step takes a batch of
/// clips, each clip a random window of consecutive valid frames of a video picked uniformly at random
/// (or a batch of still images in the frames stage); a checkpoint every <c>checkpoint_every</c>
/// iterations, validated every <c>eval_every</c> checkpoints, the best by S kept as best.pth.</summary>
/// <remarks>A run is reproducible from its seed as long as nothing else in the process draws from libtorch's global
/// generator meanwhile (weight initialisation and dropout use it): run two trainers in two processes, not two threads.</remarks>
public sealed class Trainer
{
    readonly TrainConfig _config;
    readonly RunDirectory _run;
    readonly ITrainingObserver _observer;
    // Set by Create: a run that fails before its first checkpoint removes what this process wrote, so
    // that a retry with the same --out is not refused (and --resume does not pick up a run that never was).
    bool _createdHere;
    bool _createdFolder;

    /// <summary>Before the first trainer loads libtorch, as the CLI does at start (where the training figures of
    /// docs/RESULTS.md come from): idle OpenMP threads spin briefly, so that the batch loader's threads get the cores
    /// between steps (unless the program set GOMP_SPINCOUNT or OMP_WAIT_POLICY).</summary>
    static Trainer() => Models.Runtime.OpenMpWaiting.UseShortSpin();

    public Trainer(TrainConfig config, string runDirectory, ITrainingObserver? observer = null)
    {
        _config = config;
        _run = new RunDirectory(runDirectory);
        _observer = observer ?? new NullObserver();
    }

    sealed class NullObserver : ITrainingObserver { }

    /// <summary>Starts a new run in a new or empty directory.</summary>
    public static Trainer Create(TrainConfig config, string runDirectory, ITrainingObserver? observer = null)
    {
        var run = new RunDirectory(runDirectory);
        bool createdFolder;
        if (run.Exists)
            throw new VideoFerException($"{run.Path_}: already holds a run; continue it with --resume {runDirectory} or choose another --out");
        using (var folder = OutputFolder.Open(run.Path_, "train", use: FolderUse.Empty))
        {
            createdFolder = folder.Created;
            AtomicFile.WriteText(run.ConfigFile, w => w.Write(TrainConfigLoader.ToJson(config)));
        }
        return new Trainer(config, runDirectory, observer) { _createdHere = true, _createdFolder = createdFolder };
    }

    /// <summary>Continues a run from its newest checkpoint, with the config it was started with
    /// (optionally more iterations).</summary>
    /// <remarks>A new <paramref name="learningRate"/> (after a run diverged, say) applies from the resumed iteration on
    /// and is saved in config.json.</remarks>
    public static Trainer Resume(string runDirectory, int? iterations = null, ITrainingObserver? observer = null, double? learningRate = null)
    {
        var run = new RunDirectory(runDirectory);
        if (File.Exists(run.Path_)) throw new VideoFerException($"--resume {run.Path_}: is a file, not a run directory");
        if (!run.Exists) throw new VideoFerException($"{run.Path_}: not a VideoFer run directory (no config.json)");
        var config = TrainConfigLoader.FromJson(File.ReadAllText(run.ConfigFile), run.ConfigFile);
        if (iterations is not null || learningRate is not null)
        {
            if (iterations is int n) config = TrainConfigLoader.Validate(config with { Iterations = n }, "--iterations");
            if (learningRate is double lr) config = TrainConfigLoader.Validate(config with { LearningRate = lr }, "--lr");
            using var folder = OutputFolder.Open(run.Path_, "train", "--resume");
            AtomicFile.WriteText(run.ConfigFile, w => w.Write(TrainConfigLoader.ToJson(config)));
        }
        return new Trainer(config, runDirectory, observer);
    }

    /// <summary>Trains to the configured iteration (or the time budget, or cancellation). The run
    /// directory is held for the whole call: a second process on it is refused.</summary>
    public TrainingOutcome Run(CancellationToken ct = default)
    {
        bool unstarted = false;
        try
        {
            using var folder = OutputFolder.Open(_run.Path_, "train", _createdHere ? "--out" : "--resume");
            // Temporary files of a killed run (checkpoints, best.pth, plots, predictions) go first.
            folder.RemoveOrphans("checkpoints", "predictions");
            try
            {
                return RunHeld(ct);
            }
            // A run that diverged did start: its log and report stay, and --resume continues it.
            catch (Exception e) when (_createdHere && _run.Latest() == null && e is not TrainingDivergedException)
            {
                unstarted = true;
                RemoveUnstartedRun();
                throw;
            }
        }
        finally
        {
            if (unstarted && _createdFolder) OutputFolder.RemoveIfUnused(_run.Path_);
        }
    }

    /// <summary>Removes the files a run that failed before its first checkpoint wrote (this process
    /// created them all in <see cref="Create"/> and <see cref="RunHeld"/>).</summary>
    void RemoveUnstartedRun()
    {
        foreach (var file in new[] { _run.ConfigFile, _run.LogFile, _run.ValidationFile, _run.ValidationClassesFile, _run.ValidationTasksFile, _run.LossPlot, _run.ValidationPlot, _run.ReportFile })
            if (File.Exists(file)) File.Delete(file);
        foreach (var dir in new[] { _run.CheckpointDir, _run.PredictionsDir })
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        _createdHere = false;
    }

    TrainingOutcome RunHeld(CancellationToken ct)
    {
        var c = _config;
        if (c.Threads > 0) torch.set_num_threads(c.Threads);
        var device = TorchRuntime.ResolveDevice(c.Device);
        if (c.KernelCheck && device.type == DeviceType.CPU) KernelRequirements.Verify(c);
        var sources = TrainingSources.Open(c);
        var images = new ImagePipelineOptions { BaseSize = c.BaseSize, CropSize = c.InputSize };

        torch.manual_seed(c.Seed);
        using var model = ExpressionNetwork.Create(c.Kind, c.NetConfig(sources.ActionUnits));
        var objective = new Objectives.MultiTaskLoss(model.Config.Outputs, c, sources.AuPositiveWeights);
        model.Backbone.ChannelsLastInput = c.ChannelsLast;
        model.to(device);
        using IOptimizer optimizer = c.Optimizer == OptimizerKind.Adam
            ? new Optimization.Adam(model.parameters(), c.LearningRate, weightDecay: c.WeightDecay)
            : new MomentumSgd(model.parameters(), c.LearningRate, c.Momentum, c.WeightDecay);

        var state = new TrainingCheckpoint.State(0, double.NegativeInfinity, 0);
        if (_run.Latest() is { } latest)
        {
            state = TrainingCheckpoint.Restore(latest.Path, model, optimizer);
            _observer.Message($"resumed from {Path.GetFileName(latest.Path)} (iteration {state.Iteration})");
            RepairBest(state);
        }
        else InitialiseBackbone(model.Backbone);

        var log = new CsvLog(_run.LogFile, "iteration", "loss", "lr", "seconds");
        var validation = new CsvLog(_run.ValidationFile, "iteration", "accuracy", "f1", "s", "frames");
        var perClass = new CsvLog(_run.ValidationClassesFile, RunReport.ClassColumns(c.Classes));
        // Valence-arousal and action unit figures of a multi-task run, beside the expression's validation.csv.
        var perTask = c.TaskSet == Datasets.AbawTasks.Expression ? null : new CsvLog(_run.ValidationTasksFile,
            "iteration", "va_ccc_valence", "va_ccc_arousal", "va_ccc", "au_f1", "au_accuracy", "au_score", "selection");
        log.TruncateAfter(state.Iteration);
        validation.TruncateAfter(state.Iteration);
        perClass.TruncateAfter(state.Iteration);
        perTask?.TruncateAfter(state.Iteration);
        _observer.Started(c, state.Iteration + 1, Describe(sources));

        long iteration = state.Iteration;
        var clock = Stopwatch.StartNew();
        double secondsBefore = log.Rows().LastOrDefault() is { } last ? double.Parse(last[3], System.Globalization.CultureInfo.InvariantCulture) : 0;
        bool interrupted = false;
        model.train();
        try
        {
            foreach (var (it, inputs, labels, valenceArousal, actionUnits) in Batches(sources, images, state.Iteration + 1, ct))
            {
                using var scope = NewDisposeScope();
                // Dropout masks of this iteration depend on (seed, iteration) only, like everything else.
                torch.manual_seed((long)(Determinism.Seed(c.Seed, it, Determinism.Dropout) & 0x7FFFFFFFFFFF));
                var outputs = model.forward(inputs.to(device));
                var loss = objective.Compute(outputs, labels, valenceArousal, actionUnits).Total;
                optimizer.LearningRate = c.LearningRateAt(it);
                double value = loss.item<float>();
                double seconds = secondsBefore + clock.Elapsed.TotalSeconds;
                if (!double.IsFinite(value))
                {
                    log.Append(it, value, optimizer.LearningRate, Math.Round(seconds, 3));
                    throw Diverged(it, $"the loss is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", optimizer.LearningRate);
                }
                optimizer.ZeroGrad();
                loss.backward();
                if (NonFiniteGradient(model) is string gradient)
                    throw Diverged(it, $"{gradient} is not finite (loss {value:0.####})", optimizer.LearningRate);
                optimizer.Step();
                inputs.Dispose(); labels.Dispose(); valenceArousal?.Dispose(); actionUnits?.Dispose();
                iteration = it;
                log.Append(it, value, optimizer.LearningRate, Math.Round(seconds, 3));
                _observer.Iteration(it, value, clock.Elapsed.TotalSeconds / (it - state.Iteration));

                bool outOfTime = c.MaxMinutes > 0 && clock.Elapsed.TotalMinutes >= c.MaxMinutes;
                if (it % c.CheckpointEvery == 0 || it == c.Iterations || outOfTime)
                {
                    state = Checkpoint(model, optimizer, state, it, sources, images, device, validation, perClass, perTask, ct, final: outOfTime);
                }
                if (outOfTime)
                {
                    _observer.Message($"time budget of {c.MaxMinutes} minutes reached at iteration {it}");
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            interrupted = true;
            if (iteration > state.Iteration)
            {
                // Ctrl-C: keep the work done so far; validation waits for the next regular checkpoint.
                state = state with { Iteration = iteration };
                string path = _run.CheckpointFor(iteration);
                TrainingCheckpoint.Save(path, model, optimizer, c, state);
                _observer.Checkpointed(iteration, path);
            }
        }
        RunPlots.Write(_run);
        RunReport.Write(_run);
        return new TrainingOutcome(iteration, interrupted, state.BestScore, state.BestIteration, _run.Path_,
            TaskEvaluation.SelectionName(c.TaskSet, c.SelectBy));
    }

    /// <summary>"the gradient of NAME" for the first parameter whose gradient holds a NaN or an infinity, or null.
    /// One reduction per tensor and one synchronisation for all: the largest magnitude of a tensor is finite
    /// exactly when all its values are (NaN propagates through the maximum).</summary>
    static string? NonFiniteGradient(ExpressionNetwork model) =>
        NonFinite(model.named_parameters().Where(p => p.parameter.grad is not null).Select(p => (p.name, p.parameter.grad!)))
            is string name ? $"the gradient of {name}" : null;

    /// <summary>The name of the first tensor holding a NaN or an infinity, or null.</summary>
    static string? NonFinite(IEnumerable<(string Name, Tensor Value)> tensors)
    {
        using var scope = NewDisposeScope();
        var named = tensors.ToList();
        if (named.Count == 0) return null;
        using var _ = no_grad();
        var largest = stack(named.Select(p => p.Value.abs().max()).ToArray());
        if (largest.isfinite().all().item<bool>()) return null;
        var finite = largest.isfinite().data<bool>().ToArray();
        return named[Array.IndexOf(finite, false)].Name;
    }

    /// <summary>Stops a run at iteration <paramref name="it"/>, before its step changed the weights: the
    /// plots and report are written from the logs, and the message says where to resume from and why this
    /// may have happened.</summary>
    TrainingDivergedException Diverged(long it, string what, double learningRate)
    {
        RunPlots.Write(_run);
        RunReport.Write(_run);
        string lr = learningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        string resume = _run.Latest() is { } last
            ? $"its last checkpoint, {Path.GetFileName(last.Path)} (iteration {last.Iteration}), and log.csv are intact"
            : "no checkpoint was written yet, so --resume starts again from iteration 1";
        return new TrainingDivergedException(
            $"{_run.Path_}: training stopped at iteration {it}: {what}. Likely causes: a learning rate too high for this " +
            $"network and batch (lr {lr}; resume with a lower one: videofer train --resume {_run.Path_} --lr {Math.Min(learningRate / 10, 1e-3):G2}), " +
            $"or a kernel this CPU computes wrong (`videofer info` checks them). The step was not applied; {resume}; report.html shows the run.");
    }

    TrainingCheckpoint.State Checkpoint(ExpressionNetwork model, IOptimizer optimizer, TrainingCheckpoint.State state,
        long it, TrainingSources sources, ImagePipelineOptions images, Device device, CsvLog validation, CsvLog perClass, CsvLog? perTask,
        CancellationToken ct, bool final = false)
    {
        var c = _config;
        if (NonFinite(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))) is string parameter)
            throw Diverged(it, $"after its step, {parameter} is not finite", optimizer.LearningRate);
        state = state with { Iteration = it };
        int checkpointNumber = (int)((it + c.CheckpointEvery - 1) / c.CheckpointEvery);
        bool validate = c.EvalEvery > 0 && (checkpointNumber % c.EvalEvery == 0 || it == c.Iterations || final)
                        && (sources.ValidationTracks.Count > 0 || sources.ValidationImages.Count > 0);
        EvaluationResult? result = null;
        if (validate)
        {
            // The data decides: clips of tracks, still frames of tracks, or still images.
            result = sources.Stage == TrainStage.Clips
                ? Evaluator.EvaluateClips(model, sources.ValidationTracks, images, device, workers: c.Workers, ct: ct)
                : sources.ValidationTracks.Count > 0
                    ? Evaluator.EvaluateFramesOnTracks(model, sources.ValidationTracks, images, device, workers: c.Workers, ct: ct)
                    : Evaluator.EvaluateImages(model, sources.ValidationImages, images, device, workers: c.Workers, ct: ct);
            var m = result.Metrics;
            validation.Append(it, m.Accuracy, m.MacroF1, m.Score, m.Frames);
            perClass.Append(RunReport.ClassRow(it, m));
            double selection = TaskEvaluation.SelectionScore(result, c.SelectBy, sources.Edition);
            if (perTask != null)
            {
                var va = result.ValenceArousal;
                var au = result.ActionUnits;
                perTask.Append(it, va?.ValenceCcc ?? double.NaN, va?.ArousalCcc ?? double.NaN, va?.MeanCcc ?? double.NaN,
                    au?.MeanF1 ?? double.NaN, au?.Accuracy ?? double.NaN, au?.Score(sources.Edition) ?? double.NaN, selection);
            }
            if (selection > state.BestScore) state = state with { BestScore = selection, BestIteration = it };
        }
        string path = _run.CheckpointFor(it);
        TrainingCheckpoint.Save(path, model, optimizer, c, state);
        _observer.Checkpointed(it, path);
        if (result != null)
        {
            bool isBest = state.BestIteration == it;
            if (isBest)
            {
                AtomicFile.Write(_run.BestCheckpoint, temp => File.Copy(path, temp, overwrite: true));
                if (result.Tracks.Count > 0 && result.Tasks.HasFlag(Datasets.AbawTasks.Expression))
                    Submissions.PerVideoSubmission.WriteAll(_run.PredictionsDir,
                        result.Tracks.Select(t => (t.Stem, (IReadOnlyList<int>)t.Labels)), c.Classes);
            }
            _observer.Validated(it, result, isBest);
        }
        if (c.KeepCheckpoints > 0)
            foreach (var old in _run.Checkpoints().SkipLast(c.KeepCheckpoints))
                File.Delete(old.Path);
        RunPlots.Write(_run);
        return state;
    }

    /// <summary>A kill while best.pth was being replaced leaves it missing or older than the best the
    /// checkpoints record, and no later step writes it again unless S improves: copy it from the
    /// checkpoint of the best iteration when that one is still kept.</summary>
    void RepairBest(TrainingCheckpoint.State state)
    {
        if (state.BestIteration <= 0) return;
        string best = _run.BestCheckpoint;
        if (File.Exists(best) && TrainingCheckpoint.IterationOf(best) == state.BestIteration) return;
        string source = _run.CheckpointFor(state.BestIteration);
        if (File.Exists(source))
        {
            AtomicFile.Write(best, temp => File.Copy(source, temp, overwrite: true));
            _observer.Message($"best.pth repaired from {Path.GetFileName(source)} (S {state.BestScore:0.0000}); an interrupted run had not finished writing it");
        }
        else
            _observer.Message($"warning: best.pth is not the checkpoint of the best iteration {state.BestIteration} " +
                              "and that checkpoint is no longer kept (keep_checkpoints); the next improvement writes it again");
    }

    /// <summary>Inputs and labels of each iteration (expression classes; valence-arousal and action units where the
    /// clips have them), built ahead on background threads.</summary>
    IEnumerable<(long Iteration, Tensor Inputs, Tensor Labels, Tensor? ValenceArousal, Tensor? ActionUnits)> Batches(
        TrainingSources sources, ImagePipelineOptions images, long first, CancellationToken ct)
    {
        if (sources.Stage == TrainStage.Clips)
        {
            var sampler = sources.ClipSampler!;
            var clips = new ClipBatchBuilder(images);
            return Batches(first, sampler.Next, clips.Build, b => (b.Frames, b.Labels, b.ValenceArousal, b.ActionUnits), ct);
        }
        var items = sources.TrainImages;
        var frames = new FrameBatchBuilder(images);
        return Batches(first, rng => items[rng.Next(items.Count)], frames.Build, b => (b.Images, b.Labels, (Tensor?)null, (Tensor?)null), ct);
    }

    /// <summary>Each iteration draws its batch's items with its own (seed, iteration) generator, so a
    /// resumed run draws what the uninterrupted run drew; clips and still images differ only in what
    /// is drawn and how it becomes tensors.</summary>
    IEnumerable<(long Iteration, Tensor Inputs, Tensor Labels, Tensor? ValenceArousal, Tensor? ActionUnits)> Batches<TItem, TBatch>(long first, Func<Random, TItem> draw,
        Func<IReadOnlyList<TItem>, PipelineMode, ulong, long, TBatch> build, Func<TBatch, (Tensor Inputs, Tensor Labels, Tensor? ValenceArousal, Tensor? ActionUnits)> tensors,
        CancellationToken ct) where TBatch : IDisposable
    {
        var c = _config;
        var iterations = Enumerable.Range(0, (int)Math.Max(0, c.Iterations - first + 1)).Select(i => first + i);
        var specs = iterations.Select(it =>
        {
            var rng = Determinism.Random(c.Seed, it, Determinism.Sampling);
            return (It: it, Items: (IReadOnlyList<TItem>)Enumerable.Range(0, c.BatchSize).Select(_ => draw(rng)).ToList());
        });
        using var loader = new BatchLoader<(long It, IReadOnlyList<TItem> Items), TBatch>(specs,
            (spec, _) => build(spec.Items, PipelineMode.Training, Determinism.Seed(c.Seed, spec.It, Determinism.Augmentation), spec.It),
            new BatchLoaderOptions { Workers = c.Workers, Capacity = c.Prefetch });
        long iteration = first; // the loader keeps specification order
        foreach (var batch in loader.Batches(ct))
        {
            var (inputs, labels, valenceArousal, actionUnits) = tensors(batch);
            var result = (iteration++, inputs.alias(), labels.alias(), valenceArousal?.alias(), actionUnits?.alias());
            batch.Dispose();
            yield return result;
        }
    }

    void InitialiseBackbone(Models.Backbones.ResNet backbone)
    {
        if (_config.InitBackbone is string weights)
        {
            var report = Models.Weights.Checkpoint.LoadBackbone(backbone, weights);
            _observer.Message($"backbone: {report.Loaded} tensors from {weights}");
        }
        else if (_config.InitCheckpoint is string checkpoint)
        {
            var info = Models.Weights.Checkpoint.ReadInfo(checkpoint);
            if (info != null && !string.Equals(info.Config.Arch, _config.Arch, StringComparison.OrdinalIgnoreCase))
                throw VideoFerException.InFile(checkpoint, $"is a checkpoint of {info.Describe()}, not of {_config.Arch} (key 'init_checkpoint')");
            var report = Models.Weights.Checkpoint.LoadBackbone(backbone, checkpoint);
            _observer.Message($"backbone: {report.Loaded} tensors from {checkpoint}");
        }
    }

    static string Describe(TrainingSources s) => s.Stage == TrainStage.Clips
        ? $"{s.ClipSampler!.Videos.Count} training videos ({s.ClipSampler.WindowCount:N0} valid windows, {s.ClipSampler.SkippedStems.Count} skipped), {s.ValidationTracks.Count} validation videos"
        : $"{s.TrainImages.Count:N0} training images, {s.ValidationImages.Count:N0} validation images";
}
