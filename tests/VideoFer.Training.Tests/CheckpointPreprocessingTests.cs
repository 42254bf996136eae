using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using VideoFer.Training.Reporting;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>A checkpoint carries what its network was trained to see, and eval uses it.</summary>
[Collection("synthetic")]
public class CheckpointPreprocessingTests(SyntheticData data, ITestOutputHelper log) : TempFolderTest
{
    // input 64 / resize 72, as the synthetic benchmark trains. A few Adam steps leave a network whose
    // labels still vary with the input (longer SGD runs here settle on one class, which any resize
    // scores alike); validation on all 6 videos of the train split, for enough frames of every class.
    TrainConfig Small(params string[] overrides) =>
        data.Tiny(["optimizer=adam", "lr=0.001", "eval_max_videos=0", "val_split=train", .. overrides]);

    /// <summary>eval on a run's best.pth gives exactly the S (and Acc, F1, frame count) the trainer
    /// recorded for that checkpoint in validation.csv; with the old resize (max(256, input)) it does not.</summary>
    [Fact]
    public void EvalOnBestCheckpointReproducesTheTrainersValidationScores()
    {
        string run = Path.Combine(dir, "run");
        var outcome = Trainer.Create(Small("iterations=6", "checkpoint_every=3", "eval_every=1", "seed=4"), run).Run();
        var row = CsvLog.Read(Path.Combine(run, "validation.csv"))
            .Single(r => long.Parse(r[0], CultureInfo.InvariantCulture) == outcome.BestIteration);
        double Column(int k) => double.Parse(row[k], CultureInfo.InvariantCulture);

        string best = Path.Combine(run, "best.pth");
        var info = Checkpoint.ReadInfo(best)!;
        Assert.Equal(new Preprocessing { InputSize = 64, BaseSize = 72, ClipLength = 4 }, info.Preprocessing! with { Mean = Preprocessing.ImageNetMean, Std = Preprocessing.ImageNetStd });
        Assert.Equal(Preprocessing.ImageNetMean, info.Preprocessing!.Mean);
        Assert.Equal(Preprocessing.ImageNetStd, info.Preprocessing.Std);

        var tracks = TrainingSources.LoadAffWild2Split(data.Root, [], "train");
        var eval = CheckpointEvaluation.Evaluate(best, tracks, CPU);
        var m = eval.Result.Metrics;
        log.WriteLine($"best iteration {outcome.BestIteration}: trainer S {row[3]}, eval S {m.Score:R} on {m.Frames} frames");
        Assert.Equal(72, eval.Preprocessing.BaseSize);
        Assert.Equal(Column(4), m.Frames);
        Assert.Equal(Column(1), m.Accuracy);
        Assert.Equal(Column(2), m.MacroF1);
        Assert.Equal(Column(3), m.Score);
        // Every frame also carries the probabilities behind its label: one per class, summing to 1, largest at the label.
        foreach (var track in eval.Result.Tracks)
        {
            Assert.Equal(track.Labels.Length, track.Probabilities!.Length);
            foreach (var (label, p) in track.Labels.Zip(track.Probabilities))
            {
                Assert.Equal(info.Config.Classes, p.Length);
                Assert.Equal(1.0, p.Sum(), 4);
                Assert.Equal(p.Max(), p[label]);
            }
        }

        // The override is used, and the sizes matter for this network: the old default resize of 256
        // (the central quarter of the face) scores differently.
        var resized = CheckpointEvaluation.Evaluate(best, tracks, CPU, baseSize: 256);
        Assert.Equal(256, resized.Preprocessing.BaseSize);
        Assert.NotEqual(m.Score, resized.Result.Metrics.Score);
        log.WriteLine($"with --base-size 256: S {resized.Result.Metrics.Score:R}");
    }

    /// <summary>Checkpoints written before the preprocessing was stored fall back to their
    /// train_config's base_size, and without one to the resize VideoFer used then.</summary>
    [Fact]
    public void OlderCheckpointsTakeTheirSizesFromTheirTrainConfig()
    {
        string run = Path.Combine(dir, "old");
        Trainer.Create(Small("iterations=1", "checkpoint_every=1", "eval_every=0"), run).Run();
        string checkpoint = Directory.GetFiles(run, "iter-*.pth", SearchOption.AllDirectories).Single();
        string old = Path.Combine(dir, "old.pth");
        Rewrite(checkpoint, old, root =>
        {
            var meta = JsonNode.Parse((string)root["videofer"]!)!.AsObject();
            Assert.True(meta.Remove("preprocessing"));
            root["videofer"] = meta.ToJsonString();
        });
        Assert.Equal(new Preprocessing { InputSize = 64, BaseSize = 72, ClipLength = 4 }, Checkpoint.ReadInfo(old)!.Preprocessing! with { Mean = Preprocessing.ImageNetMean, Std = Preprocessing.ImageNetStd });

        string bare = Path.Combine(dir, "bare.pth");
        Rewrite(old, bare, root => root.Remove("train_config"));
        Assert.Equal(256, Checkpoint.ReadInfo(bare)!.Preprocessing!.BaseSize);
    }

    static void Rewrite(string from, string to, Action<Hashtable> change)
    {
        Hashtable root = StateDictFile.ReadObject(from);
        change(root);
        StateDictFile.WriteObject(to, root);
    }
}
