using TorchSharp;
using VideoFer.Data.Images;
using VideoFer.Models;
using VideoFer.Models.Engines;
using VideoFer.Models.Onnx;
using VideoFer.Models.Weights;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using static TorchSharp.torch;

namespace VideoFer.Inference.Predictors;

/// <summary>A trained checkpoint of the paper's clip network, run as in §IV-D: each track's faces are
/// grouped into clips of L consecutive detections, the last one zero-padded; the BLSTM labels every
/// frame of a clip at once. Crops are the aligned faces, centre-cropped and normalised as in evaluation.
/// The network runs in libtorch or in ONNX Runtime (<see cref="EngineOptions"/>; fp32 or int8): with int8
/// and no calibration folder, the first <see cref="EngineOptions.CalibrationFaces"/> faces of the input
/// are held back, calibrated on, then labelled with the rest.</summary>
public sealed class ClipModelPredictor : IExpressionPredictor
{
    /// <summary>A face waiting for its clip to fill: where it was, and its network input.</summary>
    readonly record struct PendingFace(int Frame, double Time, FaceDetection Detection, float[] Pixels);

    readonly ExpressionNet? _net; // the torch engine's network; null when ONNX Runtime runs it
    NetworkEngine? _onnx;
    global::Onnx.ModelProto? _awaitingCalibration; // int8 without a folder: the fp32 model, until enough faces came
    readonly List<(int Track, List<PendingFace> Clip)> _held = [];
    readonly EngineOptions _engineOptions;
    readonly string _checkpoint;
    readonly Device _device;
    readonly ImageTransform _transform;
    readonly int _length, _cropSide, _imageFloats;
    readonly Dictionary<int, List<PendingFace>> _pending = [];
    Tensor? _padding;

    /// <param name="baseSize">A resize side to use instead of the one the checkpoint was trained with
    /// (predict's --base-size).</param>
    /// <param name="engine">Engine and precision (default: auto, fp32; see <see cref="EngineRule"/>).</param>
    public ClipModelPredictor(string checkpoint, Device? device = null, int? baseSize = null, EngineOptions? engine = null)
    {
        _engineOptions = engine ?? new EngineOptions();
        _device = device ?? CPU;
        // Refused before the checkpoint loads: a combination that cannot run.
        var resolved = EngineRule.Resolve(_engineOptions.Engine, _engineOptions.Precision, _device.type == DeviceType.CPU);
        var (net, info) = Checkpoint.LoadClip(checkpoint);
        _checkpoint = checkpoint;
        _layout = info.Config.Outputs;
        if (!_layout.HasExpression)
        {
            net.Dispose();
            throw VideoFerException.InFile(checkpoint, $"was trained for {info.Config.Tasks} without expressions; predict needs the expression head " +
                "(train with tasks=expr,va,au; eval scores this checkpoint on valence-arousal and action units)");
        }
        HasValenceArousal = _layout.HasValenceArousal;
        ActionUnitNames = info.Config.ActionUnits;
        Preprocessing = info.Preprocessing!.WithBaseSize(baseSize, "--base-size");
        _length = Preprocessing.ClipLength;
        var options = ImagePipelineOptions.ForEvaluation(Preprocessing.InputSize, Preprocessing.BaseSize, Preprocessing.Mean, Preprocessing.Std);
        _transform = new ImageTransform(options);
        // The aligner cuts the face square at the resize side directly, so the transform only crops.
        _cropSide = options.BaseSize;
        _imageFloats = options.ImageFloats;
        ClassNames = info.ClassNames;
        string engineName;
        if (resolved == InferenceEngine.Torch)
        {
            _net = net;
            _net.to(_device);
            Models.Inference.InferenceOptimizer.Optimize(_net); // eval mode, BN folded
            engineName = "libtorch";
        }
        else if (_engineOptions.Precision == Precision.Float32)
        {
            _onnx = NetworkEngines.Create(net, InferenceEngine.Onnx, Precision.Float32);
            engineName = _onnx.Name;
        }
        else
        {
            global::Onnx.ModelProto fp32;
            using (net) fp32 = OnnxExporter.Build(net);
            if (_engineOptions.CalibrationFolder is string folder)
            {
                var faces = CalibrationImages.Load(folder, _transform);
                _onnx = NetworkEngines.Int8(fp32, CalibrationImages.Clips(faces, _length, side: _transform.Options.CropSize), _engineOptions.Quantization);
                engineName = $"{_onnx.Name} on {faces.Count} faces of {folder}";
            }
            else
            {
                _awaitingCalibration = fp32;
                engineName = $"ONNX Runtime int8 ({_engineOptions.Quantization.Describe()}) on the input's first {_engineOptions.CalibrationFaces} faces";
            }
        }
        Description = $"checkpoint {Path.GetFileName(checkpoint)}: {info.Describe()}, clips of {_length} frames, " +
                      $"faces resized to {Preprocessing.BaseSize} and centre-cropped to {Preprocessing.InputSize}; {engineName}";
    }

    public string Description { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public bool HasValenceArousal { get; }
    public IReadOnlyList<string> ActionUnitNames { get; }
    readonly TaskOutputs _layout;

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
        return Run(rest, final: true);
    }

    IReadOnlyList<PredictionRecord> Run(List<(int Track, List<PendingFace> Clip)> clips, bool final = false)
    {
        if (_awaitingCalibration is { } fp32)
        {
            // int8 calibrated on the input itself: hold the first clips back until enough faces came.
            _held.AddRange(clips);
            int faces = _held.Sum(c => c.Clip.Count);
            if (faces == 0 || (!final && faces < _engineOptions.CalibrationFaces)) return [];
            var pixels = _held.SelectMany(c => c.Clip).Select(f => f.Pixels).ToList();
            _onnx = NetworkEngines.Int8(fp32, CalibrationImages.Clips(pixels, _length, _transform.Options.CropSize), _engineOptions.Quantization);
            _awaitingCalibration = null;
            clips = [.. _held];
            _held.Clear();
        }
        if (clips.Count == 0) return [];
        int side = _transform.Options.CropSize;
        int real = clips.Sum(c => c.Clip.Count);
        float[] outputs;
        if (_onnx != null)
        {
            // ONNX Runtime runs the whole clip network; padding slots are zero images, as §IV-D pads.
            var input = new float[(long)clips.Count * _length * _imageFloats];
            for (int c = 0; c < clips.Count; c++)
                for (int s = 0; s < clips[c].Clip.Count; s++)
                    clips[c].Clip[s].Pixels.CopyTo(input, ((long)c * _length + s) * _imageFloats);
            using var scope = NewDisposeScope();
            using var logits = _onnx.Logits(tensor(input, [clips.Count, _length, 3, side, side]));
            outputs = Probabilities(logits);
        }
        else
        using (var scope = NewDisposeScope())
        using (inference_mode())
        {
            var batch = new float[(long)real * _imageFloats];
            int k = 0;
            foreach (var (_, clip) in clips)
                foreach (var face in clip)
                    face.Pixels.CopyTo(batch, (long)k++ * _imageFloats);
            var net = _net!;
            // The backbone sees each real face once; padding slots (the zero image of §IV-D) reuse
            // one cached feature vector instead of running the backbone on zeros again.
            var features = net.Backbone.forward(tensor(batch, [real, 3, side, side]).to(_device));
            var rows = new List<Tensor>(clips.Count * _length);
            k = 0;
            foreach (var (_, clip) in clips)
                for (int s = 0; s < _length; s++)
                    rows.Add(s < clip.Count ? features[k++] : PaddingFeatures(side));
            var sequence = stack(rows).reshape(clips.Count, _length, -1);
            outputs = Probabilities(net.Classify(sequence).cpu());
        }
        // Finite weights can still overflow; a NaN would otherwise be labelled class 0 (Neutral).
        if (!outputs.All(float.IsFinite))
            throw VideoFerException.InFile(_checkpoint, "gives NaN or infinite probabilities (its network overflows on these faces)");
        int width = _layout.Width;
        var result = new List<PredictionRecord>(real);
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Clip.Count; s++)
            {
                var face = clips[c].Clip[s];
                var row = outputs.AsSpan((c * _length + s) * width, width);
                result.Add(new PredictionRecord(face.Frame, face.Time, clips[c].Track, face.Detection.Box, face.Detection.Score,
                    row.Slice(_layout.ExpressionStart, _layout.ExpressionCount).ToArray())
                {
                    ValenceArousal = _layout.HasValenceArousal ? row.Slice(_layout.ValenceArousalStart, 2).ToArray() : null,
                    ActionUnits = _layout.HasActionUnits ? row.Slice(_layout.ActionUnitStart, _layout.ActionUnitCount).ToArray() : null,
                });
            }
        return result;
    }

    /// <summary>The network's outputs (…, width) as predict reports them, row by row: the softmax of the expression
    /// logits, valence and arousal as they are, the sigmoid of the AU logits.</summary>
    float[] Probabilities(Tensor outputs)
    {
        using var scope = NewDisposeScope();
        if (!_layout.HasValenceArousal && !_layout.HasActionUnits)
            return nn.functional.softmax(outputs, -1).data<float>().ToArray();
        var parts = new List<Tensor> { nn.functional.softmax(outputs.narrow(-1, _layout.ExpressionStart, _layout.ExpressionCount), -1) };
        if (_layout.HasValenceArousal) parts.Add(outputs.narrow(-1, _layout.ValenceArousalStart, 2));
        if (_layout.HasActionUnits) parts.Add(outputs.narrow(-1, _layout.ActionUnitStart, _layout.ActionUnitCount).sigmoid());
        return cat(parts, -1).contiguous().data<float>().ToArray();
    }

    /// <summary>Backbone features of the all-zero padding image, computed on first use.</summary>
    Tensor PaddingFeatures(int side)
    {
        if (_padding is null)
        {
            using var zeros = torch.zeros([1, 3, side, side], device: _device);
            using var features = _net!.Backbone.forward(zeros);
            _padding = features[0].clone().DetachFromDisposeScope(); // lives as long as the predictor
        }
        return _padding;
    }

    public void Dispose()
    {
        _padding?.Dispose();
        _net?.Dispose();
        _onnx?.Dispose();
    }
}
