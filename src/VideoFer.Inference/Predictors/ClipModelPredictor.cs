using TorchSharp;
using VideoFer.Data.Images;
using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Vision.Pipeline;
using static TorchSharp.torch;

namespace VideoFer.Inference.Predictors;

/// <summary>A trained checkpoint of the paper's clip network, run as in §IV-D: each track's faces are
/// grouped into clips of L consecutive detections, the last one zero-padded; the BLSTM labels every
/// frame of a clip at once. Crops are the aligned faces, centre-cropped and normalised as in evaluation.</summary>
public sealed class ClipModelPredictor : IExpressionPredictor
{
    readonly ExpressionNet _net;
    readonly Device _device;
    readonly ImageTransform _transform;
    readonly int _length, _cropSide, _imageFloats;
    readonly Dictionary<int, List<(int Frame, float[] Pixels)>> _pending = [];
    Tensor? _padding;

    public ClipModelPredictor(string checkpoint, Device? device = null, int? baseSize = null)
    {
        var (model, info) = Checkpoint.Load(checkpoint, expectedKind: ModelKind.Clip);
        _net = (ExpressionNet)model;
        _device = device ?? CPU;
        _net.to(_device);
        Models.Inference.InferenceOptimizer.Optimize(_net); // eval mode, BN folded, channels-last
        _length = info.Config.ClipLength;
        var options = new ImagePipelineOptions { BaseSize = baseSize ?? Math.Max(256, info.Config.InputSize), CropSize = info.Config.InputSize };
        _transform = new ImageTransform(options);
        _cropSide = options.BaseSize;
        _imageFloats = options.ImageFloats;
        Classes = info.Config.Classes;
        Description = $"checkpoint {Path.GetFileName(checkpoint)}: {info.Describe()}, clips of {_length} frames";
    }

    public string Description { get; }
    public int Classes { get; }
    public IReadOnlyList<int> CropSizes => [_cropSide];
    public bool NeedsFrameImage => false;

    public IReadOnlyList<FacePrediction> Add(FrameFaces frame)
    {
        var ready = new List<(int Track, List<(int Frame, float[] Pixels)> Clip)>();
        foreach (var face in frame.Faces)
        {
            var pixels = new float[_imageFloats];
            _transform.Apply(face.Crop(_cropSide), AugmentParams.Center(_transform.Options), pixels);
            if (!_pending.TryGetValue(face.TrackId, out var list)) _pending[face.TrackId] = list = [];
            list.Add((frame.Index, pixels));
            if (list.Count == _length)
            {
                ready.Add((face.TrackId, list));
                _pending.Remove(face.TrackId);
            }
        }
        return Run(ready);
    }

    public IReadOnlyList<FacePrediction> Finish()
    {
        var rest = _pending.Select(kv => (kv.Key, kv.Value)).ToList();
        _pending.Clear();
        return Run(rest);
    }

    IReadOnlyList<FacePrediction> Run(List<(int Track, List<(int Frame, float[] Pixels)> Clip)> clips)
    {
        if (clips.Count == 0) return [];
        int side = _transform.Options.CropSize;
        int real = clips.Sum(c => c.Clip.Count);
        var batch = new float[(long)real * _imageFloats];
        int k = 0;
        foreach (var (_, clip) in clips)
            foreach (var (_, pixels) in clip)
                pixels.CopyTo(batch, (long)k++ * _imageFloats);
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
        var result = new List<FacePrediction>();
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Clip.Count; s++)
                result.Add(new FacePrediction(clips[c].Clip[s].Frame, clips[c].Track,
                    probabilities.AsSpan((c * _length + s) * Classes, Classes).ToArray()));
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
