using OpenCvSharp;
using VideoFer.Data.Images;
using VideoFer.Inference.Predictors;
using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using static TorchSharp.torch;

namespace VideoFer.Inference.Tests;

/// <summary>predict's clip-model path (optimized network, padding features computed once, faces grouped
/// into clips per track) gives what the checkpoint's network as trained gives on the zero-padded clips
/// of §IV-D.</summary>
public class ClipModelPredictorTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-clip-predictor-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("torch")]
    [InlineData("onnx")]
    public void PredictionsEqualTheTrainedNetworkOnZeroPaddedClips(string engine)
    {
        var config = new ExpressionNetConfig { Arch = "resnet18-cbam", InputSize = 64, LstmHidden = 16, FcHidden = 16 };
        string checkpoint = Path.Combine(dir, "clip.pth");
        manual_seed(3);
        using (var net = new ExpressionNet(config))
        {
            using (no_grad())
                foreach (var (name, buffer) in net.named_buffers())
                    if (name.EndsWith("running_mean")) buffer.uniform_(-0.2, 0.2);
                    else if (name.EndsWith("running_var")) buffer.uniform_(0.5, 2.0);
            Checkpoint.Save(checkpoint, net);
        }

        // Track 1: 11 faces (a full clip, then 3 padded by 5); track 2: 5 faces, from frame 4.
        var rng = new Random(5);
        var faces = new List<(int Frame, int Track, Mat Crop)>();
        for (int f = 1; f <= 11; f++) faces.Add((f, 1, Noise(rng)));
        for (int f = 4; f <= 8; f++) faces.Add((f, 2, Noise(rng)));

        var predicted = new Dictionary<(int, int), IReadOnlyList<float>>();
        var records = new List<PredictionRecord>();
        var engineOptions = new VideoFer.Models.Engines.EngineOptions { Engine = VideoFer.Models.Engines.EngineRule.Parse(engine) };
        using (var predictor = new ClipModelPredictor(checkpoint, engine: engineOptions))
        {
            Assert.EndsWith(engine == "torch" ? "libtorch" : "ONNX Runtime fp32", predictor.Description);
            int side = predictor.CropSizes.Single();
            Assert.Equal(256, side);
            foreach (var frame in faces.GroupBy(x => x.Frame).OrderBy(g => g.Key))
            {
                var aligned = frame.Select(x => new AlignedFace(x.Track, Detection(x.Frame, x.Track), new Dictionary<int, Mat> { [side] = x.Crop.Clone() })).ToList();
                using var ff = new FrameFaces(frame.Key, frame.Key / 25.0, false, aligned, null);
                records.AddRange(predictor.Add(ff));
            }
            records.AddRange(predictor.Finish());
        }
        Assert.Equal(faces.Count, records.Count);
        // Each prediction comes attached to the face it was given: frame, time, track, box and score.
        foreach (var r in records)
        {
            var given = Detection(r.Frame, r.Track);
            Assert.Equal((r.Frame / 25.0, given.Box, given.Score), (r.Time, r.Box, r.Score));
            Assert.Equal(r.Raw, r.Probabilities);
            predicted.Add((r.Frame, r.Track), r.Probabilities);
        }

        // Reference: the network as trained, on clips zero-padded to 8 frames.
        var (model, _) = Checkpoint.Load(checkpoint);
        using var reference = (ExpressionNet)model;
        reference.eval();
        var transform = new ImageTransform(new ImagePipelineOptions { BaseSize = 256, CropSize = 64 });
        int floats = transform.Options.ImageFloats;
        var clips = new[] { faces.Where(x => x.Track == 1).Take(8), faces.Where(x => x.Track == 1).Skip(8), faces.Where(x => x.Track == 2) }
            .Select(c => c.ToList()).ToList();
        var input = new float[clips.Count * 8 * floats];
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Count; s++)
                transform.Apply(clips[c][s].Crop, AugmentParams.Center(transform.Options), input.AsSpan((c * 8 + s) * floats, floats));
        float[] expected;
        using (inference_mode())
        using (var x = tensor(input, [clips.Count, 8, 3, 64, 64]))
        using (var logits = reference.forward(x))
        using (var p = nn.functional.softmax(logits, -1))
            expected = p.data<float>().ToArray();
        double worst = 0;
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Count; s++)
            {
                var got = predicted[(clips[c][s].Frame, clips[c][s].Track)];
                for (int k = 0; k < 7; k++) worst = Math.Max(worst, Math.Abs(got[k] - expected[(c * 8 + s) * 7 + k]));
            }
        Assert.InRange(worst, 0, 1e-4);
        foreach (var f in faces) f.Crop.Dispose();
    }

    static Mat Noise(Random rng)
    {
        var bytes = new byte[256 * 256 * 3];
        rng.NextBytes(bytes);
        return Mat.FromPixelData(256, 256, MatType.CV_8UC3, bytes).Clone();
    }

    /// <summary>A detection unique to (frame, track), so a prediction attached to the wrong face shows.</summary>
    static FaceDetection Detection(int frame, int track) =>
        new(new Rect2f(10 * frame, 100 * track, 50 + frame, 50 + track), new Point2f[FaceDetection.KeypointCount], 0.5f + frame / 100f + track / 1000f);

    /// <summary>The predictor feeds faces as the checkpoint's stored preprocessing says (the aligner's
    /// crop side is the resize side), and --base-size replaces that side.</summary>
    [Fact]
    public void CropsFollowTheCheckpointsPreprocessingOrTheOverride()
    {
        string checkpoint = Path.Combine(dir, "sized.pth");
        using (var net = new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18", InputSize = 64, LstmHidden = 8, FcHidden = 8, Classes = 8 }))
            Checkpoint.Save(checkpoint, net, preprocessing: new Preprocessing { InputSize = 64, BaseSize = 80, ClipLength = 8 });
        using (var predictor = new ClipModelPredictor(checkpoint))
        {
            Assert.Equal([80], predictor.CropSizes);
            Assert.Equal(ExpressionClasses.Eight, predictor.ClassNames);
        }
        using (var predictor = new ClipModelPredictor(checkpoint, baseSize: 96))
            Assert.Equal([96], predictor.CropSizes);
        var e = Assert.Throws<VideoFerException>(() => new ClipModelPredictor(checkpoint, baseSize: 32));
        Assert.Equal("--base-size 32: expected a side from the network's input size (64) to 4096 pixels", e.Message);
    }

    /// <summary>Finite weights that overflow give NaN probabilities; they are refused naming the
    /// checkpoint rather than labelled Neutral.</summary>
    [Fact]
    public void OverflowingOutputsAreRefusedNamingTheCheckpoint()
    {
        string checkpoint = Path.Combine(dir, "overflow.pth");
        using (var net = new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18", InputSize = 64, LstmHidden = 8, FcHidden = 8 }))
        {
            var weights = net.state_dict();
            using (no_grad())
            {
                weights["classifier.0.weight"].zero_();
                weights["classifier.0.bias"].fill_(1);        // every hidden unit 1 after the ReLU
                weights["classifier.3.weight"].fill_(3e38f);  // 8 x 3e38 overflows to +inf for every class
            }
            Checkpoint.Save(checkpoint, net);
        }
        using var predictor = new ClipModelPredictor(checkpoint);
        using var crop = Noise(new Random(1));
        var face = new AlignedFace(1, Detection(1, 1), new Dictionary<int, Mat> { [predictor.CropSizes[0]] = crop.Clone() });
        using var frame = new FrameFaces(1, 0.04, false, [face], null);
        Assert.Empty(predictor.Add(frame));
        var e = Assert.Throws<VideoFerException>(() => predictor.Finish());
        Assert.Equal($"{checkpoint}: gives NaN or infinite probabilities (its network overflows on these faces)", e.Message);
    }
}
