using VideoFer.Models.Engines;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>A resnet18-cbam clip model trained on its own synthetic set, once for the class, as the paper
/// trains (and docs/RESULTS.md measures): the backbone on single frames first, then the clip network
/// (backbone + BLSTM + FC) from it. Small inputs keep it inside the suite's budget; it must be confident
/// and mostly right, since agreement on a barely trained model's near-ties measures the model, not int8
/// (and random weights prove nothing).</summary>
public sealed class TrainedClipModel : IDisposable
{
    public const int FrameIterations = 400, ClipIterations = 80;
    readonly string _dir = Directory.CreateTempSubdirectory("videofer-int8-").FullName;
    public string Root => Path.Combine(_dir, "synth");
    public string Checkpoint => Path.Combine(_dir, "clips", "checkpoints", $"iter-{ClipIterations:D9}.pth");

    public TrainedClipModel()
    {
        // 100 videos: with fewer identities the backbone learns the people, not their expressions (12 videos gave
        // validation accuracy 0.05-0.17, 40 videos 0.52-0.59 and, on 892 validation frames, S moved by up to 0.01 under
        // int8 on some seeds). Adam: within 250 iterations SGD reached 0.39 on frames, Adam 0.56. 400 frame iterations
        // on 100 videos, training seeds 2/3/4: fp32 accuracy 0.79/0.70/0.58, int8 agreement 99.5-99.7%, S within 0.0024,
        // on 2,273 validation frames.
        new VideoFer.Data.Synthetic.SyntheticDatasetWriter(new VideoFer.Data.Synthetic.SynthOptions { Videos = 100, FramesMin = 60, FramesMax = 100, Size = 64, AffectNetImages = 0, Seed = 5 })
            .Write(Root);
        string[] common =
        [
            $"affwild2={Root}", "arch=resnet18-cbam", "input_size=64", "base_size=72", "fc_hidden=32", "optimizer=adam", "lr_schedule=cosine",
            "workers=1", "prefetch=2", "threads=2", "eval_every=0", "seed=2",
        ];
        string frames = Path.Combine(_dir, "frames");
        Train(frames, [.. common, "stage=frames", "batch_size=32", "lr=0.001", $"iterations={FrameIterations}", $"checkpoint_every={FrameIterations}"]);
        Train(Path.Combine(_dir, "clips"), [.. common, "stage=clips", "clip_length=8", "batch_size=4", "lstm_hidden=32", "lr=0.0005",
            $"init_checkpoint={Path.Combine(frames, "checkpoints", $"iter-{FrameIterations:D9}.pth")}", $"iterations={ClipIterations}", $"checkpoint_every={ClipIterations}"]);
        if (!File.Exists(Checkpoint)) throw new InvalidOperationException($"training wrote no {Checkpoint}");
        _validation = new(() => TrainingSources.LoadAffWild2Split(Root, [], "validation"));
        _fp32 = new(() => CheckpointEvaluation.Evaluate(Checkpoint, Validation, CPU, engine: new EngineOptions { Engine = InferenceEngine.Torch }));
    }

    static void Train(string run, string[] settings) => Trainer.Create(Config.TrainConfigLoader.Load(null, settings), run).Run();

    /// <summary>The synthetic validation split.</summary>
    public IReadOnlyList<VideoFer.Datasets.VideoTrack> Validation => _validation.Value;
    readonly Lazy<IReadOnlyList<VideoFer.Datasets.VideoTrack>> _validation;

    /// <summary>The fp32 (libtorch) evaluation every int8 variant is compared with, run once.</summary>
    public CheckpointEvaluation.Outcome Fp32 => _fp32.Value;
    readonly Lazy<CheckpointEvaluation.Outcome> _fp32;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>The fixture trains alone in this assembly: the trainer seeds libtorch's global generator, and a test
/// training beside it (RunReportTests) would draw from the same generator and change the fixture's model from run
/// to run (with the earlier 40-video fixture a full-suite run once gave S 0.578 where the test alone gave 0.59).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainsAlone { public const string Name = "trains alone"; }

/// <summary>Static int8 in ONNX Runtime against fp32 (libtorch) on the synthetic validation split, with a trained
/// model: the issue's bars, label agreement >= 99% and S within 0.005, for both calibrations.</summary>
[Collection(TrainsAlone.Name)]
public class Int8AgreementTests(TrainedClipModel model, ITestOutputHelper log) : IClassFixture<TrainedClipModel>
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("min-max")]
    [InlineData("percentile")]
    public void Int8AgreesWithFp32OnTheSyntheticValidationSet(string calibration)
    {
        var tracks = model.Validation;
        var int8 = new EngineOptions
        {
            Precision = Precision.Int8,
            Quantization = new Models.Onnx.QuantizationOptions { Method = calibration == "percentile" ? Models.Onnx.CalibrationMethod.Percentile : Models.Onnx.CalibrationMethod.MinMax },
        };
        var fp32 = model.Fp32;
        var q = CheckpointEvaluation.Evaluate(model.Checkpoint, tracks, CPU, engine: int8);
        Assert.StartsWith("ONNX Runtime int8", q.Engine);

        int frames = 0, same = 0;
        foreach (var (a, b) in fp32.Result.Tracks.Zip(q.Result.Tracks))
        {
            Assert.Equal(a.Stem, b.Stem);
            frames += a.Labels.Length;
            same += a.Labels.Zip(b.Labels).Count(p => p.First == p.Second);
        }
        double agreement = (double)same / frames;
        double s32 = fp32.Result.Metrics.Score, s8 = q.Result.Metrics.Score;
        // The probabilities behind both evaluations' labels, every class of every frame: the largest difference is reported, as the issue asks.
        double maxProb = fp32.Result.Tracks.Zip(q.Result.Tracks).Max(t => t.First.Probabilities!.Zip(t.Second.Probabilities!)
            .Max(f => f.First.Zip(f.Second).Max(p => Math.Abs(p.First - p.Second))));
        log.WriteLine($"{calibration}: {frames} frames, label agreement {agreement:P2}, S fp32 {s32:0.0000} int8 {s8:0.0000} (diff {Math.Abs(s32 - s8):0.0000}), " +
                      $"max probability difference {maxProb:0.0000}; fp32 accuracy {fp32.Result.Metrics.Accuracy:0.000}");
        // The model must mean something, or agreement would be about near-ties of an untrained model (or a constant
        // guess): well above chance (1/7) and the most frequent class (about 0.3 here), more than one label given.
        Assert.True(fp32.Result.Metrics.Accuracy >= 0.4, $"the fixture's model is not trained enough: fp32 accuracy {fp32.Result.Metrics.Accuracy:0.000}");
        Assert.True(fp32.Result.Tracks.SelectMany(t => t.Labels).Distinct().Count() >= 2, "the trained model gives one label to every frame");
        // The issue's bars (this fixture: see above; a better-trained model and real faces: docs/PERFORMANCE.md).
        Assert.True(agreement >= 0.99, $"label agreement {agreement:P2} < 99%");
        Assert.True(Math.Abs(s32 - s8) <= 0.005, $"S fp32 {s32:0.0000} vs int8 {s8:0.0000}");
        // And every class probability of every validation frame close to fp32 (measured 0.013 and 0.018).
        Assert.True(maxProb < 0.05, $"max probability difference {maxProb:0.0000}");
    }
}
