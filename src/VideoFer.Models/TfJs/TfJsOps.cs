using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VideoFer.Models.TfJs;

/// <summary>The TensorFlow ops VideoFer's TF.js importer runs, written on TorchSharp with TensorFlow's
/// semantics (NHWC axes, TF padding rules). Activations arrive and leave NCHW (see <see cref="TfJsValue"/>).</summary>
internal static class TfJsOps
{
    /// <summary>Ops the executor knows; anything else is refused when the model is loaded.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "Placeholder", "Const", "Identity",
        "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative",
        "MaxPool", "Add", "AddV2", "Relu", "Relu6", "Mean", "Softmax",
    };

    /// <summary>Activations that _FusedConv2D / FusedDepthwiseConv2dNative may carry after BiasAdd.</summary>
    public static readonly IReadOnlySet<string> FusedActivations = new HashSet<string>(StringComparer.Ordinal)
    {
        "Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu",
    };

    public static bool IsConvolution(string op) =>
        op is "Conv2D" or "_FusedConv2D" or "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative";

    /// <summary>A TensorFlow filter in PyTorch's layout: Conv2D's HWIO becomes OIHW; a depthwise filter
    /// [H, W, C, M] becomes [C*M, 1, H, W], output channel c*M+m as in TensorFlow, for groups = C.</summary>
    public static Tensor PrepareFilter(string op, Tensor tfFilter)
    {
        if (tfFilter.dim() != 4) throw new VideoFerException($"a {op} filter must have rank 4, not {tfFilter.dim()}");
        if (op is "Conv2D" or "_FusedConv2D") return tfFilter.permute(3, 2, 0, 1).contiguous();
        long h = tfFilter.shape[0], w = tfFilter.shape[1], c = tfFilter.shape[2], m = tfFilter.shape[3];
        return tfFilter.permute(2, 3, 0, 1).reshape(c * m, 1, h, w).contiguous();
    }

    /// <summary>Conv2D / DepthwiseConv2dNative and their fused forms (BiasAdd, then an optional activation).</summary>
    public static TfJsValue Convolution(TfJsNode node, TfJsValue input, Tensor filter, IReadOnlyList<Tensor> extraArgs)
    {
        var x = RequireNchw(node, input);
        RequireNhwcFormat(node);
        var (strideH, strideW) = Spatial(node, "strides");
        var (dilationH, dilationW) = Spatial(node, "dilations");
        long channels = x.shape[1];
        if (channels % filter.shape[1] != 0)
            throw new VideoFerException($"node {node.Name}: {channels} input channels do not fit a filter over {filter.shape[1]}");
        long groups = channels / filter.shape[1];
        // NCHW-contiguous input (NHWC tensors arrive permuted, i.e. channels-last strides): on AMD EPYC
        // (Zen 5) machines libtorch 2.10's oneDNN channels-last kernels return wrong values, e.g. a grouped
        // convolution with channel multiplier 2 off by 6.6 on outputs of at most 6.6 (see
        // InferenceOptions.ChannelsLast); NCHW input is right there and costs one copy.
        x = x.contiguous();
        var (padH, padW) = TfJsPadding.ForNode(node, x.shape[2], x.shape[3], filter.shape[2], filter.shape[3],
            strideH, strideW, dilationH, dilationW);

        string[] fused = node.Op.StartsWith("Fused", StringComparison.Ordinal) || node.Op.StartsWith("_Fused", StringComparison.Ordinal)
            ? node.GetStrings("fused_ops") ?? []
            : [];
        Tensor? bias = null;
        int next = 0;
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            if (extraArgs.Count < 1) throw new VideoFerException($"node {node.Name}: BiasAdd without a bias input");
            bias = extraArgs[next++].reshape(-1);
        }

        Tensor y;
        if (padH.IsSymmetric && padW.IsSymmetric)
            y = F.conv2d(x, filter, bias, strides: [strideH, strideW], padding: [padH.Before, padW.Before],
                dilation: [dilationH, dilationW], groups: groups);
        else
        {
            // TF's SAME puts the odd extra element at the bottom/right; PyTorch pads symmetrically only.
            using var padded = F.pad(x, [padW.Before, padW.After, padH.Before, padH.After]);
            y = F.conv2d(padded, filter, bias, strides: [strideH, strideW], padding: [0L, 0L],
                dilation: [dilationH, dilationW], groups: groups);
        }

        foreach (var op in fused.Skip(bias is null ? 0 : 1))
            y = Activation(node, op, y);
        return new TfJsValue(y, Nchw: true);
    }

    public static TfJsValue MaxPool(TfJsNode node, TfJsValue input)
    {
        var x = RequireNchw(node, input);
        RequireNhwcFormat(node);
        var (kernelH, kernelW) = Spatial(node, "ksize");
        var (strideH, strideW) = Spatial(node, "strides");
        var (padH, padW) = TfJsPadding.ForNode(node, x.shape[2], x.shape[3], kernelH, kernelW, strideH, strideW, 1, 1);
        if (padH.IsZero && padW.IsZero)
            return new TfJsValue(F.max_pool2d(x, [kernelH, kernelW], [strideH, strideW]), Nchw: true);
        // TF's max pool never picks padding: pad with -infinity, explicitly because it may be asymmetric.
        using var padded = F.pad(x, [padW.Before, padW.After, padH.Before, padH.After], value: double.NegativeInfinity);
        return new TfJsValue(F.max_pool2d(padded, [kernelH, kernelW], [strideH, strideW]), Nchw: true);
    }

    /// <summary>Add/AddV2 with TensorFlow broadcasting; a non-NCHW operand meeting an NCHW one is brought
    /// to the same layout first.</summary>
    public static TfJsValue Add(TfJsValue a, TfJsValue b)
    {
        // add(x, Scalars.One), not x + y: the operator passes a temporary alpha Scalar that a garbage
        // collection on another thread (predict's face pipeline) can finalise mid-call (see Scalars).
        if (a.Nchw == b.Nchw) return new TfJsValue(a.Tensor.add(b.Tensor, Layers.Scalars.One), a.Nchw);
        var (nchw, other) = a.Nchw ? (a, b) : (b, a);
        using var broadcast = ToNchwBroadcast(other.Tensor);
        return new TfJsValue(nchw.Tensor.add(broadcast, Layers.Scalars.One), Nchw: true);
    }

    public static TfJsValue Mean(TfJsNode node, TfJsValue input, int[] tfAxes)
    {
        bool keepDims = node.GetBool("keep_dims") ?? false;
        if (input.Nchw && keepDims)
            return new TfJsValue(input.Tensor.mean(tfAxes.Select(a => input.Axis(a)).ToArray(), keepdim: true), Nchw: true);
        // The remaining axes must come out in TF's order: reduce in TF's layout.
        var plain = new TfJsValue(input.InTfLayout(), Nchw: false);
        return new TfJsValue(plain.Tensor.mean(tfAxes.Select(a => plain.Axis(a)).Distinct().ToArray(), keepdim: keepDims), Nchw: false);
    }

    /// <summary>Softmax over TensorFlow's last axis (channels, for an NCHW activation).</summary>
    public static TfJsValue Softmax(TfJsValue input) =>
        new(F.softmax(input.Tensor, input.Axis(-1)), input.Nchw);

    public static Tensor Activation(TfJsNode node, string op, Tensor x) => op switch
    {
        "Relu" => F.relu(x),
        "Relu6" => F.relu6(x),
        "Elu" => F.elu(x, alpha: 1.0),
        "Sigmoid" => torch.sigmoid(x),
        "Tanh" => torch.tanh(x),
        "LeakyRelu" => F.leaky_relu(x, node.GetFloat("leakyrelu_alpha") ?? 0.2),
        _ => throw new VideoFerException($"node {node.Name}: unsupported fused op '{op}'"),
    };

    // A TF operand broadcast against an NHWC activation: right-align to rank 4, then permute to NCHW.
    private static Tensor ToNchwBroadcast(Tensor t)
    {
        if (t.dim() > 4) throw new VideoFerException($"cannot broadcast a rank-{t.dim()} tensor against a rank-4 activation");
        var shape = Enumerable.Repeat(1L, 4 - (int)t.dim()).Concat(t.shape).ToArray();
        return t.reshape(shape).permute(0, 3, 1, 2);
    }

    private static Tensor RequireNchw(TfJsNode node, TfJsValue v) =>
        v.Nchw && v.Tensor.dim() == 4
            ? v.Tensor
            : throw new VideoFerException($"node {node.Name} ({node.Op}): needs a rank-4 NHWC input, got shape [{string.Join(", ", v.Tensor.shape)}]");

    private static void RequireNhwcFormat(TfJsNode node)
    {
        string format = node.GetString("data_format") ?? "NHWC";
        if (format != "NHWC")
            throw new VideoFerException($"node {node.Name} ({node.Op}): data_format {format} is not supported (NHWC only)");
    }

    // Height and width entries of an NHWC 4-list attribute (strides, dilations, ksize); 1 when absent.
    private static (long H, long W) Spatial(TfJsNode node, string attribute)
    {
        var v = node.GetInts(attribute);
        if (v is null || v.Length == 0) return (1, 1);
        if (v.Length != 4 || v[0] != 1 || v[3] != 1)
            throw new VideoFerException($"node {node.Name}: unsupported {attribute} [{string.Join(", ", v)}]");
        return (v[1], v[2]);
    }
}
