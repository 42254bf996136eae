using TorchSharp;
using VideoFer.Models.Layers;
using VideoFer.Models.TfJs;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VideoFer.Models.Expressions;

/// <summary>face-api's facial expression network (npm @vladmandic/face-api 1.7.15, MIT; FaceExpressionNet), written
/// anew on TorchSharp and loaded from face-api's own weights (<c>face_expression_model-weights_manifest.json</c> and
/// its uint8-quantised shard). Takes a face crop, pre-processes it as face-api does (<see cref="FaceApiPreprocessing"/>)
/// and returns the 7 class probabilities in ABAW order (Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise).
/// One frame at a time: no temporal context.</summary>
/// <remarks>The network, on a 112 x 112 RGB input (323,687 parameters):
/// <list type="bullet">
/// <item>four dense blocks, 32, 64, 128 and 256 channels, each halving the size (112 → 56 → 28 → 14 → 7). A block's
/// conv0 is a 3x3 stride-2 convolution with bias (block 0) or a depthwise-separable one (3x3 depthwise stride 2, then
/// 1x1 pointwise, then bias; the others), followed by ReLU: out1. Then three separable 3x3 stride-1 convolutions
/// (with bias, no activation), each fed the ReLU of the sum of all earlier outputs: out2 = conv1(out1),
/// out3 = conv2(relu(out1 + out2)), out4 = conv3(relu(out1 + (out2 + out3))); the block returns
/// relu(out1 + (out2 + (out3 + out4))). Padding is TensorFlow's SAME, so the strided layers pad one row and column at
/// the bottom/right only;</item>
/// <item>7x7 average pooling (stride 2, VALID) to 1 x 1 x 256, then a fully connected layer 256 → 7 and softmax.</item>
/// </list>
/// Convolutions run on contiguous NCHW tensors: libtorch 2.10's oneDNN computes grouped convolutions wrongly on some
/// AMD Zen 5 CPUs when given channels-last input (see TfJsOps.Convolution).</remarks>
public sealed class FaceApiExpressionModel : IFaceExpressionModel
{
    /// <summary>The model's own class order (face-api's FACE_EXPRESSION_LABELS).</summary>
    public static readonly IReadOnlyList<string> ModelClasses = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"];

    // ABAW index -> model output index.
    private static readonly int[] AbawFromModel =
    [
        0, // Neutral <- neutral
        3, // Anger <- angry
        5, // Disgust <- disgusted
        4, // Fear <- fearful
        1, // Happiness <- happy
        2, // Sadness <- sad
        6, // Surprise <- surprised
    ];

    /// <summary>Channels of the four dense blocks.</summary>
    public static readonly IReadOnlyList<int> BlockChannels = [32, 64, 128, 256];

    private sealed record Separable(Tensor Depthwise, Tensor Pointwise, Tensor Bias);

    private sealed record DenseBlock(Tensor? Conv0Filter, Tensor? Conv0Bias, Separable? Conv0, Separable Conv1, Separable Conv2, Separable Conv3);

    private readonly DenseBlock[] blocks;
    private readonly Tensor fcWeights, fcBias;
    private readonly List<Tensor> parameters;
    private readonly Device device;

    private FaceApiExpressionModel(string path, DenseBlock[] blocks, Tensor fcWeights, Tensor fcBias, List<Tensor> parameters, Device device)
    {
        Path = path;
        this.blocks = blocks;
        this.fcWeights = fcWeights;
        this.fcBias = fcBias;
        this.parameters = parameters;
        this.device = device;
    }

    /// <summary>Full path of the weights manifest in use.</summary>
    public string Path { get; }

    /// <summary>Side of the square RGB input (112).</summary>
    public int InputSize => FaceApiPreprocessing.InputSize;

    public string Name => "faceapi";

    /// <summary>The input side: a square crop of that side needs no resize.</summary>
    public int CropSide => InputSize;

    /// <summary>Number of weights and biases (323,687).</summary>
    public long ParameterCount => parameters.Sum(p => p.numel());

    /// <summary>Loads the weights found by <see cref="FaceApiModelLocator.Find"/> (explicit path, VIDEOFER_MODELS,
    /// videofer-models, models/node_modules or tests/media/node_modules). A missing, damaged or different file is a
    /// <see cref="VideoFerException"/> naming it.</summary>
    public static FaceApiExpressionModel Load(string? explicitPath = null, Device? device = null)
    {
        string path = FaceApiModelLocator.Find(explicitPath);
        var weights = TfJsWeightsManifest.Read(path);
        device ??= CPU;
        var kept = new List<Tensor>();
        using var scope = torch.NewDisposeScope(); // the temporaries of loading
        try
        {
            Tensor Weight(string name, long[] shape, string? filterOp = null)
            {
                if (!weights.TryGetValue(name, out var w))
                    throw VideoFerException.InFile(path, $"weight {name} missing: not face-api's expression model");
                if (!w.Spec.Shape.SequenceEqual(shape) || w.Values is not float[] values)
                    throw VideoFerException.InFile(path,
                        $"weight {name} is {w.Spec.DType} [{string.Join(", ", w.Spec.Shape)}], expected float32 [{string.Join(", ", shape)}]: not face-api's expression model");
                var tf = torch.tensor(values, shape);
                var prepared = filterOp is null ? tf : TfJsOps.PrepareFilter(filterOp, tf);
                var t = prepared.to(device).contiguous().MoveToOuterDisposeScope();
                kept.Add(t);
                return t;
            }

            Separable Sep(string prefix, int cin, int cout) => new(
                Weight($"{prefix}/depthwise_filter", [3, 3, cin, 1], "DepthwiseConv2dNative"),
                Weight($"{prefix}/pointwise_filter", [1, 1, cin, cout], "Conv2D"),
                Weight($"{prefix}/bias", [cout]));

            var blocks = new DenseBlock[BlockChannels.Count];
            int inChannels = 3;
            for (int b = 0; b < blocks.Length; b++)
            {
                int c = BlockChannels[b];
                string p = $"dense{b}";
                blocks[b] = b == 0
                    ? new DenseBlock(Weight($"{p}/conv0/filters", [3, 3, inChannels, c], "Conv2D"), Weight($"{p}/conv0/bias", [c]), null,
                        Sep($"{p}/conv1", c, c), Sep($"{p}/conv2", c, c), Sep($"{p}/conv3", c, c))
                    : new DenseBlock(null, null, Sep($"{p}/conv0", inChannels, c),
                        Sep($"{p}/conv1", c, c), Sep($"{p}/conv2", c, c), Sep($"{p}/conv3", c, c));
                inChannels = c;
            }
            var fcWeights = Weight("fc/weights", [inChannels, ModelClasses.Count]);
            var fcBias = Weight("fc/bias", [ModelClasses.Count]);
            return new FaceApiExpressionModel(path, blocks, fcWeights, fcBias, kept, device);
        }
        catch
        {
            foreach (var t in kept) t.Dispose();
            throw;
        }
    }

    /// <summary>Probabilities of the 7 expressions in ABAW order for one face crop.</summary>
    public float[] Predict(FaceCrop crop) => Predict([crop])[0];

    /// <summary>Probabilities of the 7 expressions in ABAW order for each face crop, run as one batch.</summary>
    public float[][] Predict(IReadOnlyList<FaceCrop> crops)
    {
        if (crops.Count == 0) return [];
        int values = 3 * InputSize * InputSize;
        var batch = new float[crops.Count * values];
        for (int i = 0; i < crops.Count; i++)
            FaceApiPreprocessing.ToModelInput(crops[i], batch.AsSpan(i * values, values));
        using var input = torch.tensor(batch, [crops.Count, 3, InputSize, InputSize]);
        return ToAbaw(PredictModelOrder(input));
    }

    /// <summary>Runs the network alone on pre-processed input, NCHW [N, 3, 112, 112] float32 (as
    /// <see cref="FaceApiPreprocessing.ToModelInput(FaceCrop)"/> makes it); returns the softmax rows in the model's own
    /// class order (<see cref="ModelClasses"/>).</summary>
    public float[][] PredictModelOrder(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != 3 || input.shape[2] != InputSize || input.shape[3] != InputSize)
            throw new ArgumentException($"input shape [{string.Join(", ", input.shape)}], expected [N, 3, {InputSize}, {InputSize}]", nameof(input));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = input.to(device).to(ScalarType.Float32).contiguous();
        for (int b = 0; b < blocks.Length; b++)
            x = Dense(x, blocks[b]);
        var pooled = F.avg_pool2d(x, [7, 7], [2, 2]);
        var flat = pooled.reshape(pooled.shape[0], -1);
        var logits = flat.matmul(fcWeights).add(fcBias, Scalars.One);
        var probabilities = logits.softmax(1).cpu();
        int n = (int)probabilities.shape[0], k = ModelClasses.Count;
        var data = probabilities.data<float>().ToArray();
        return Enumerable.Range(0, n).Select(i => data.AsSpan(i * k, k).ToArray()).ToArray();
    }

    /// <summary>Reorders rows of model-order probabilities into ABAW order.</summary>
    public static float[][] ToAbaw(float[][] modelOrder) =>
        modelOrder.Select(row => AbawFromModel.Select(m => row[m]).ToArray()).ToArray();

    private static Tensor Dense(Tensor x, DenseBlock block)
    {
        var out1 = (block.Conv0 is { } sep0
            ? SeparableConv(x, sep0, stride: 2)
            : Conv(x, block.Conv0Filter!, block.Conv0Bias!, stride: 2, groups: 1)).relu();
        var out2 = SeparableConv(out1, block.Conv1, stride: 1);
        var in3 = out1.add(out2, Scalars.One).relu();
        var out3 = SeparableConv(in3, block.Conv2, stride: 1);
        var in4 = out1.add(out2.add(out3, Scalars.One), Scalars.One).relu();
        var out4 = SeparableConv(in4, block.Conv3, stride: 1);
        return out1.add(out2.add(out3.add(out4, Scalars.One), Scalars.One), Scalars.One).relu();
    }

    // tf.separableConv2d(x, depthwise, pointwise, stride, 'same') + bias: a depthwise 3x3 convolution, a 1x1 one.
    private static Tensor SeparableConv(Tensor x, Separable p, long stride)
    {
        var depthwise = Conv(x, p.Depthwise, null, stride, groups: x.shape[1]);
        return F.conv2d(depthwise, p.Pointwise, p.Bias);
    }

    // A 3x3 convolution with TensorFlow's SAME padding, on contiguous NCHW input.
    private static Tensor Conv(Tensor x, Tensor filter, Tensor? bias, long stride, long groups)
    {
        x = x.contiguous();
        var padH = TfJsPadding.Compute("SAME", x.shape[2], filter.shape[2], stride, 1);
        var padW = TfJsPadding.Compute("SAME", x.shape[3], filter.shape[3], stride, 1);
        if (padH.IsSymmetric && padW.IsSymmetric)
            return F.conv2d(x, filter, bias, strides: [stride, stride], padding: [padH.Before, padW.Before], groups: groups);
        // SAME's odd extra row/column goes at the bottom/right, which conv2d's symmetric padding cannot express.
        var padded = F.pad(x, [padW.Before, padW.After, padH.Before, padH.After]).contiguous();
        return F.conv2d(padded, filter, bias, strides: [stride, stride], padding: [0L, 0L], groups: groups);
    }

    public void Dispose()
    {
        foreach (var t in parameters) t.Dispose();
        parameters.Clear();
    }
}
