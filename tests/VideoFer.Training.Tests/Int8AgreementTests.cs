using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Models.Engines;
using VideoFer.Models.Weights;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>A resnet18-cbam clip model trained on its own synthetic set (12 videos, 64x64; so that its
/// answers mean something: random weights prove nothing about agreement), once for the class.</summary>
public sealed class TrainedClipModel : IDisposable
{
    public const int Iterations = 100;
    readonly string _dir = Directory.CreateTempSubdirectory("videofer-int8-").FullName;
    public string Root => Path.Combine(_dir, "synth");
    public string Run => Path.Combine(_dir, "run");
    public string Checkpoint => Path.Combine(Run, "checkpoints", $"iter-{Iterations:D9}.pth");

    public TrainedClipModel()
    {
        new VideoFer.Data.Synthetic.SyntheticDatasetWriter(new VideoFer.Data.Synthetic.SynthOptions { Videos = 12, FramesMin = 60, FramesMax = 100, Size = 64, AffectNetImages = 20, Seed = 5 })
            .Write(Root);
        var config = Config.TrainConfigLoader.Load(null, new[]
        {
            "stage=clips", $"affwild2={Root}", "arch=resnet18-cbam", "input_size=64", "base_size=72", "clip_length=4", "batch_size=4",
            "lstm_hidden=32", "fc_hidden=32", "lr=0.01", "lr_schedule=cosine", "workers=1", "prefetch=2", "threads=2",
            $"iterations={Iterations}", $"checkpoint_every={Iterations}", "eval_every=0", "seed=2",
        });
        Trainer.Create(config, Run).Run();
        if (!File.Exists(Checkpoint)) throw new InvalidOperationException($"training wrote no {Checkpoint}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>Static int8 in ONNX Runtime against fp32 on the synthetic validation split, with a trained
/// model: the largest probability difference asserted, label agreement and S logged (see the test).</summary>
public class Int8AgreementTests(TrainedClipModel model, ITestOutputHelper log) : IClassFixture<TrainedClipModel>
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("min-max")]
    [InlineData("percentile")]
    public void Int8AgreesWithFp32OnTheSyntheticValidationSet(string calibration)
    {
        var tracks = TrainingSources.LoadAffWild2Split(model.Root, [], "validation");
        var int8 = new EngineOptions
        {
            Precision = Precision.Int8,
            Quantization = new Models.Onnx.QuantizationOptions { Method = calibration == "percentile" ? Models.Onnx.CalibrationMethod.Percentile : Models.Onnx.CalibrationMethod.MinMax },
        };
        var fp32 = CheckpointEvaluation.Evaluate(model.Checkpoint, tracks, CPU, engine: new EngineOptions { Engine = InferenceEngine.Torch });
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
        // The model must give more than one label, or agreement would be about a constant guess.
        Assert.True(fp32.Result.Tracks.SelectMany(t => t.Labels).Distinct().Count() >= 2, "the trained model gives one label to every frame");
        // What int8 must keep on any model: every class probability of every validation clip within 0.05 of fp32
        // (measured 0.008-0.016). A label can then change only where fp32's two best classes are within 0.1 of each
        // other. The label (99%) and S (0.005) bars are logged, not asserted: a model trained within the
        // suite's budget (100 iterations) is barely past chance (accuracy 0.15-0.17 from run to run, training is not
        // bitwise reproducible across machines), its probabilities close together, so near-ties flip: measured 96.6-98.7%
        // of labels, S within 0.0005-0.0048. Figures and what they do not show: docs/PERFORMANCE.md.
        Assert.True(maxProb < 0.05, $"max probability difference {maxProb:0.0000}");
    }

    /// <summary>Softmax of both engines on every validation clip, largest |difference|.</summary>
    static double MaxProbabilityDifference(string checkpoint, IReadOnlyList<VideoFer.Datasets.VideoTrack> tracks, EngineOptions int8)
    {
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        var p = info.Preprocessing!;
        var images = ImagePipelineOptions.ForEvaluation(p.InputSize, p.BaseSize, p.Mean, p.Std);
        var clips = tracks.SelectMany(t => VideoFer.Clips.EvaluationClips.Arrange(t, p.ClipLength)).ToList();
        var builder = new ClipBatchBuilder(images);
        var calibration = clips.Take(8).Select(c => { using var b = builder.Build([c], PipelineMode.Evaluation); return b.Frames.clone(); }).ToList();
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
