using System.Globalization;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using VideoFer.Training.Evaluation;
using VideoFer.Training.Reporting;
using VideoFer.Training.Runs;

namespace VideoFer.Training.Tests;

[Collection("synthetic")]
public class TrainerTests(SyntheticData data) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-runs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    TrainConfig Tiny(params string[] overrides) => data.Tiny(overrides);

    static List<(long Iteration, double Loss)> Losses(string run) =>
        CsvLog.Read(Path.Combine(run, "log.csv"))
            .Select(r => (long.Parse(r[0], CultureInfo.InvariantCulture), double.Parse(r[1], CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public void LossFallsOnSyntheticClips()
    {
        string run = Path.Combine(dir, "falls");
        var outcome = Trainer.Create(Tiny("iterations=40", "checkpoint_every=40", "eval_every=0"), run).Run();
        Assert.Equal(40, outcome.Iteration);
        var losses = Losses(run).Select(l => l.Loss).ToList();
        Assert.Equal(40, losses.Count);
        double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
        Assert.True(last < 0.8 * first, $"loss did not fall: first 10 mean {first:0.000}, last 10 mean {last:0.000}");
        Assert.True(File.Exists(Path.Combine(run, "loss.png")));
    }

    /// <summary>A run cancelled (as by Ctrl-C) after iteration 3 writes a checkpoint; resumed, it
    /// produces exactly the losses of an uninterrupted run with the same seed.</summary>
    [Fact]
    public void InterruptedAndResumedRunRepeatsTheUninterruptedLosses()
    {
        var config = Tiny("iterations=6", "checkpoint_every=100", "eval_every=0", "seed=9");
        string straight = Path.Combine(dir, "straight"), interrupted = Path.Combine(dir, "interrupted");
        Trainer.Create(config, straight).Run();

        using var cancel = new CancellationTokenSource();
        var outcome = Trainer.Create(config, interrupted, new CancelAfter(3, cancel)).Run(cancel.Token);
        Assert.True(outcome.Interrupted);
        Assert.Equal(3, outcome.Iteration);
        Assert.Equal(3, new RunDirectory(interrupted).Latest()!.Value.Iteration);

        var resumed = Trainer.Resume(interrupted).Run();
        Assert.False(resumed.Interrupted);
        Assert.Equal(6, resumed.Iteration);
        var a = Losses(straight);
        var b = Losses(interrupted);
        Assert.Equal(a.Select(x => x.Iteration), b.Select(x => x.Iteration));
        Assert.Equal(a.Select(x => x.Loss), b.Select(x => x.Loss)); // exact, not approximate
    }

    sealed class CancelAfter(long iteration, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void Iteration(long it, double loss, double secondsPerIteration)
        {
            if (it == iteration) cancel.Cancel();
        }
    }

    [Fact]
    public void CheckpointsAreValidatedAndTheBestIsKept()
    {
        string run = Path.Combine(dir, "best");
        var observer = new Recorder();
        var outcome = Trainer.Create(Tiny("iterations=4", "checkpoint_every=2", "eval_every=1"), run, observer).Run();
        Assert.Equal(2, observer.Validations.Count);
        var best = observer.Validations.MaxBy(v => v.Result.Metrics.Score);
        Assert.Equal(best.Iteration, outcome.BestIteration);
        Assert.Equal(best.Result.Metrics.Score, outcome.BestScore);
        // best.pth is the checkpoint of that iteration, loadable as a model and as a training checkpoint.
        Assert.Equal(outcome.BestIteration, TrainingCheckpoint.IterationOf(Path.Combine(run, "best.pth")));
        var (model, info) = Checkpoint.Load(Path.Combine(run, "best.pth"), expectedArch: "resnet18");
        model.Dispose();
        Assert.Equal(ModelKind.Clip, info.Kind);
        // Predictions of the best checkpoint: one ABAW file per validation track, every frame labelled.
        var predictions = Directory.GetFiles(Path.Combine(run, "predictions"), "*.txt");
        int validationTracks = Math.Min(2, Directory.GetFiles(Path.Combine(data.Root, "annotations", "EXPR_Set", "Validation_Set"), "*.txt").Length);
        Assert.Equal(validationTracks, predictions.Length);
        Assert.Equal(validationTracks, best.Result.Tracks.Count);
        Assert.Equal(2, CsvLog.Read(Path.Combine(run, "validation.csv")).Count());
        Assert.True(File.Exists(Path.Combine(run, "validation.png")));
    }

    sealed class Recorder : ITrainingObserver
    {
        public List<(long Iteration, EvaluationResult Result)> Validations { get; } = [];
        public void Validated(long iteration, EvaluationResult result, bool isBest) => Validations.Add((iteration, result));
    }

    [Fact]
    public void FramesStagePretrainsOnStillImagesAndItsBackboneStartsTheClipModel()
    {
        string pre = Path.Combine(dir, "pre");
        var frames = TrainConfigLoader.Load(null, [
            "stage=frames", $"affectnet={Path.Combine(data.Root, "AffectNet")}", "arch=resnet18", "input_size=64", "base_size=72", "batch_size=4",
            "fc_hidden=32", "iterations=3", "checkpoint_every=3", "eval_every=1", "workers=1", "threads=2"]);
        var outcome = Trainer.Create(frames, pre).Run();
        Assert.Equal(3, outcome.Iteration);
        Assert.True(File.Exists(Path.Combine(pre, "best.pth")));

        var clips = Tiny("iterations=1", "checkpoint_every=1", "eval_every=0", $"init_checkpoint={Path.Combine(pre, "best.pth")}");
        string run = Path.Combine(dir, "from-pre");
        var messages = new Messages();
        Trainer.Create(clips, run, messages).Run();
        using var backbone = new Models.Backbones.ResNet(Models.Backbones.ResNetSpec.Parse("resnet18"));
        Assert.Contains(messages.Lines, l => l.StartsWith($"backbone: {backbone.state_dict().Count} tensors from"));
    }

    sealed class Messages : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public void Message(string text) => Lines.Add(text);
    }
}
