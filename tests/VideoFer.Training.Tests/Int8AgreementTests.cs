using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Models.Engines;
using VideoFer.Models.Weights;
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
    public const int FrameIterations = 250, ClipIterations = 80;
    readonly string _dir = Directory.CreateTempSubdirectory("videofer-int8-").FullName;
    public string Root => Path.Combine(_dir, "synth");
    public string Checkpoint => Path.Combine(_dir, "clips", "checkpoints", $"iter-{ClipIterations:D9}.pth");

    public TrainedClipModel()
    {
        // 40 videos: fewer identities and the backbone learns the people, not their expressions (12 videos gave
        // validation accuracy 0.05-0.17). Adam: within 250 iterations SGD reached 0.39 on frames, Adam 0.56.
        new VideoFer.Data.Synthetic.SyntheticDatasetWriter(new VideoFer.Data.Synthetic.SynthOptions { Videos = 40, FramesMin = 60, FramesMax = 100, Size = 64, AffectNetImages = 0, Seed = 5 })
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

/// <summary>Static int8 in ONNX Runtime against fp32 (libtorch) on the synthetic validation split, with a trained
/// model: the issue's bars, label agreement >= 99% and S within 0.005, for both calibrations.</summary>
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
        double maxProb = MaxProbabilityDifference(model.Checkpoint, tracks, int8);
        log.WriteLine($"{calibration}: {frames} frames, label agreement {agreement:P2}, S fp32 {s32:0.0000} int8 {s8:0.0000} (diff {Math.Abs(s32 - s8):0.0000}), " +
                      $"max probability difference {maxProb:0.0000}; fp32 accuracy {fp32.Result.Metrics.Accuracy:0.000}");
        // The model must mean something, or agreement would be about near-ties of an untrained model (or a constant
        // guess): well above chance (1/7) and the most frequent class (about 0.3 here), more than one label given.
        Assert.True(fp32.Result.Metrics.Accuracy >= 0.4, $"the fixture's model is not trained enough: fp32 accuracy {fp32.Result.Metrics.Accuracy:0.000}");
        Assert.True(fp32.Result.Tracks.SelectMany(t => t.Labels).Distinct().Count() >= 2, "the trained model gives one label to every frame");
        // The issue's bars (measured 99.66-99.89% and S within 0.0015 on this fixture; a better-trained model and real faces: docs/PERFORMANCE.md).
        Assert.True(agreement >= 0.99, $"label agreement {agreement:P2} < 99%");
        Assert.True(Math.Abs(s32 - s8) <= 0.005, $"S fp32 {s32:0.0000} vs int8 {s8:0.0000}");
        // And every class probability of every validation clip close to fp32 (measured 0.018-0.021).
        Assert.True(maxProb < 0.05, $"max probability difference {maxProb:0.0000}");
    }

    /// <summary>Softmax of both engines on every validation clip, largest |difference|: reported, as the issue asks.</summary>
    static double MaxProbabilityDifference(string checkpoint, IReadOnlyList<VideoFer.Datasets.VideoTrack> tracks, EngineOptions int8)
    {
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        var p = info.Preprocessing!;
        var images = ImagePipelineOptions.ForEvaluation(p.InputSize, p.BaseSize, p.Mean, p.Std);
        var clips = tracks.SelectMany(t => VideoFer.Clips.EvaluationClips.Arrange(t, p.ClipLength)).ToList();
        var builder = new ClipBatchBuilder(images);
        // The calibration eval uses, so that these are the probabilities behind its labels.
        var calibration = CheckpointEvaluation.CalibrationClips(tracks, images, p.ClipLength, int8.CalibrationFaces).ToList();
        using var q = NetworkEngines.Create(net, InferenceEngine.Onnx, Precision.Int8, () => calibration, int8.Quantization);
        using var reference = NetworkEngines.Create(Checkpoint.LoadClip(checkpoint).Model, InferenceEngine.Torch, Precision.Float32);
        double max = 0;
        using var _ = inference_mode();
        foreach (var chunk in clips.Chunk(8))
        {
            using var scope = NewDisposeScope();
            using var batch = builder.Build(chunk, PipelineMode.Evaluation);
            var a = nn.functional.softmax(reference.Logits(batch.Frames), -1);
            var b = nn.functional.softmax(q.Logits(batch.Frames), -1);
            max = Math.Max(max, (a - b).abs().max().item<float>());
        }
        return max;
    }
}
