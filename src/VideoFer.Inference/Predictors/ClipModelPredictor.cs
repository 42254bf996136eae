using TorchSharp;
using VideoFer.Data.Images;
using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using static TorchSharp.torch;

namespace VideoFer.Inference.Predictors;

/// <summary>A trained checkpoint of the paper's clip network, run as in §IV-D: each track's faces are
/// grouped into clips of L consecutive detections, the last one zero-padded; the BLSTM labels every
/// frame of a clip at once. Crops are the aligned faces, centre-cropped and normalised as in evaluation.</summary>
public sealed class ClipModelPredictor : IExpressionPredictor
{
    /// <summary>A face waiting for its clip to fill: where it was, and its network input.</summary>
    readonly record struct PendingFace(int Frame, double Time, FaceDetection Detection, float[] Pixels);

    readonly ExpressionNet _net;
    readonly string _checkpoint;
    readonly Device _device;
    readonly ImageTransform _transform;
    readonly int _length, _cropSide, _imageFloats;
    readonly Dictionary<int, List<PendingFace>> _pending = [];
    Tensor? _padding;

    /// <param name="baseSize">A resize side to use instead of the one the checkpoint was trained with
    /// (predict's --base-size).</param>
    public ClipModelPredictor(string checkpoint, Device? device = null, int? baseSize = null)
    {
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        _net = net;
        _checkpoint = checkpoint;
        _device = device ?? CPU;
        _net.to(_device);
        Models.Inference.InferenceOptimizer.Optimize(_net); // eval mode, BN folded
        Preprocessing = info.Preprocessing!.WithBaseSize(baseSize, "--base-size");
        _length = Preprocessing.ClipLength;
        var options = ImagePipelineOptions.ForEvaluation(Preprocessing.InputSize, Preprocessing.BaseSize, Preprocessing.Mean, Preprocessing.Std);
        _transform = new ImageTransform(options);
        // The aligner cuts the face square at the resize side directly, so the transform only crops.
        _cropSide = options.BaseSize;
        _imageFloats = options.ImageFloats;
        ClassNames = info.ClassNames;
        Description = $"checkpoint {Path.GetFileName(checkpoint)}: {info.Describe()}, clips of {_length} frames, " +
                      $"faces resized to {Preprocessing.BaseSize} and centre-cropped to {Preprocessing.InputSize}";
    }

    public string Description { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>What the faces go through: the checkpoint's, or with the resize side chosen instead.</summary>
    public Preprocessing Preprocessing { get; }

    public IReadOnlyList<int> CropSizes => [_cropSide];
    public bool NeedsFrameImage => false;

    public IReadOnlyList<PredictionRecord> Add(FrameFaces frame)
    {
        var ready = new List<(int Track, List<PendingFace> Clip)>();
        foreach (var face in frame.Faces)
        {
            var pixels = new float[_imageFloats];
            _transform.Apply(face.Crop(_cropSide), AugmentParams.Center(_transform.Options), pixels);
            if (!_pending.TryGetValue(face.TrackId, out var list)) _pending[face.TrackId] = list = [];
            list.Add(new PendingFace(frame.Index, frame.Time, face.Detection, pixels));
            if (list.Count == _length)
            {
                ready.Add((face.TrackId, list));
                _pending.Remove(face.TrackId);
            }
        }
        return Run(ready);
    }

    public IReadOnlyList<PredictionRecord> Finish()
    {
        var rest = _pending.Select(kv => (kv.Key, kv.Value)).ToList();
        _pending.Clear();
        return Run(rest);
    }

    IReadOnlyList<PredictionRecord> Run(List<(int Track, List<PendingFace> Clip)> clips)
    {
        if (clips.Count == 0) return [];
        int side = _transform.Options.CropSize;
        int real = clips.Sum(c => c.Clip.Count);
        var batch = new float[(long)real * _imageFloats];
        int k = 0;
        foreach (var (_, clip) in clips)
            foreach (var face in clip)
                face.Pixels.CopyTo(batch, (long)k++ * _imageFloats);
        float[] probabilities;
        using (var scope = NewDisposeScope())
        using (inference_mode())
        {
            // The backbone sees each real face once; padding slots (the zero image of §IV-D) reuse
            // one cached feature vector instead of running the backbone on zeros again.
            var features = _net.Backbone.forward(tensor(batch, [real, 3, side, side]).to(_device));
            var rows = new List<Tensor>(clips.Count * _length);
            k = 0;
            foreach (var (_, clip) in clips)
                for (int s = 0; s < _length; s++)
                    rows.Add(s < clip.Count ? features[k++] : PaddingFeatures(side));
            var sequence = stack(rows).reshape(clips.Count, _length, -1);
            probabilities = nn.functional.softmax(_net.Classify(sequence), -1).cpu().data<float>().ToArray();
        }
        // Finite weights can still overflow; a NaN would otherwise be labelled class 0 (Neutral).
        if (!probabilities.All(float.IsFinite))
            throw VideoFerException.InFile(_checkpoint, "gives NaN or infinite probabilities (its network overflows on these faces)");
        int classes = ClassNames.Count;
        var result = new List<PredictionRecord>(real);
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Clip.Count; s++)
            {
                var face = clips[c].Clip[s];
                result.Add(new PredictionRecord(face.Frame, face.Time, clips[c].Track, face.Detection.Box, face.Detection.Score,
                    probabilities.AsSpan((c * _length + s) * classes, classes).ToArray()));
            }
        return result;
    }

    /// <summary>Backbone features of the all-zero padding image, computed on first use.</summary>
    Tensor PaddingFeatures(int side)
    {
        if (_padding is null)
        {
            using var zeros = torch.zeros([1, 3, side, side], device: _device);
            using var features = _net.Backbone.forward(zeros);
            _padding = features[0].clone().DetachFromDisposeScope(); // lives as long as the predictor
        }
        return _padding;
    }

    public void Dispose()
    {
        _padding?.Dispose();
        _net.Dispose();
    }
}
