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

    [Fact]
    public void PredictionsEqualTheTrainedNetworkOnZeroPaddedClips()
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

        var predicted = new Dictionary<(int, int), float[]>();
        using (var predictor = new ClipModelPredictor(checkpoint))
        {
            int side = predictor.CropSizes.Single();
            Assert.Equal(256, side);
            foreach (var frame in faces.GroupBy(x => x.Frame).OrderBy(g => g.Key))
            {
                var aligned = frame.Select(x => new AlignedFace(x.Track, Detection(), new Dictionary<int, Mat> { [side] = x.Crop.Clone() })).ToList();
                using var ff = new FrameFaces(frame.Key, frame.Key / 25.0, false, aligned, null);
                foreach (var p in predictor.Add(ff)) predicted.Add((p.Frame, p.Track), p.Probabilities);
            }
            foreach (var p in predictor.Finish()) predicted.Add((p.Frame, p.Track), p.Probabilities);
        }
        Assert.Equal(faces.Count, predicted.Count);

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

    static FaceDetection Detection() => new(new Rect2f(10, 10, 50, 50), new Point2f[FaceDetection.KeypointCount], 0.9f);
}
