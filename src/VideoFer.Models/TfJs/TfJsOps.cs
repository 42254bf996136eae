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
        "MaxPool", "Add", "AddV2", "Sub", "Mul", "Minimum", "Maximum", "Relu", "Relu6", "Sigmoid", "Mean", "Softmax",
        "MatMul", "_FusedMatMul", "Abs", "Square", "Rsqrt", "Sum", "Squeeze", "Pad", "Reshape",
        "Prelu", "ConcatV2",
    };

    /// <summary>Ops whose second input must be an int32 constant (axes, paddings, a shape).</summary>
    public static readonly IReadOnlySet<string> IntConstantArgument = new HashSet<string>(StringComparer.Ordinal)
    {
        "Mean", "Sum", "Pad", "Reshape",
    };

    /// <summary>Activations that _FusedConv2D / FusedDepthwiseConv2dNative may carry after BiasAdd.</summary>
    public static readonly IReadOnlySet<string> FusedActivations = new HashSet<string>(StringComparer.Ordinal)
    {
        "Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu", "Prelu",
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
        // Plain depthwise convolutions (multiplier 1, symmetric padding) are the exception: channels-last is
        // right there (against float64 to 4e-6, and FaceRes's parity with TF.js) and up to 10 times faster
        // than NCHW, whose depthwise kernel dominated FaceRes's run time.
        bool plainDepthwise = groups == channels && filter.shape[0] == channels;
        if (!plainDepthwise) x = x.contiguous();
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
            // A depthwise convolution on this padded copy in channels-last memory crashed libtorch's oneDNN here
            // (FaceRes's strided layers, the process killed in a later layer): it reads NCHW memory.
            using var nchw = plainDepthwise ? padded.contiguous() : null;
            y = F.conv2d(nchw ?? padded, filter, bias, strides: [strideH, strideW], padding: [0L, 0L],
                dilation: [dilationH, dilationW], groups: groups);
        }

        foreach (var op in fused.Skip(bias is null ? 0 : 1))
        {
            if (op == "Prelu")
            {
                // The converter fuses Keras PReLU with its per-channel alpha as the next argument (num_args 2).
                if (extraArgs.Count <= next) throw new VideoFerException($"node {node.Name}: Prelu without an alpha input");
                y = PreluNchw(y, extraArgs[next++]);
            }
            else y = Activation(node, op, y);
        }
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
    public static TfJsValue Add(TfJsValue a, TfJsValue b) =>
        // add(x, Scalars.One), not x + y: the operator passes a temporary alpha Scalar that a garbage
        // collection on another thread (predict's face pipeline) can finalise mid-call (see Scalars).
        Binary(a, b, (x, y) => x.add(y, Layers.Scalars.One));

    /// <summary>The element-wise binary ops other than Add (Sub, Mul, Minimum, Maximum), with TensorFlow
    /// broadcasting as for <see cref="Add"/>. Keras writes batch norm as Mul and Add of per-channel constants,
    /// and ReLU6 as Relu, Minimum(6), Maximum(0).</summary>
    public static TfJsValue Elementwise(TfJsNode node, TfJsValue a, TfJsValue b) => node.Op switch
    {
        "Sub" => Binary(a, b, (x, y) => x.add(y, Layers.Scalars.MinusOne)),
        "Mul" => Binary(a, b, (x, y) => x.mul(y)),
        "Minimum" => Binary(a, b, (x, y) => torch.minimum(x, y)),
        "Maximum" => Binary(a, b, (x, y) => torch.maximum(x, y)),
        _ => throw new VideoFerException($"node {node.Name}: {node.Op} is not an element-wise binary op"),
    };

    private static TfJsValue Binary(TfJsValue a, TfJsValue b, Func<Tensor, Tensor, Tensor> op)
    {
        if (a.Nchw == b.Nchw) return new TfJsValue(op(a.Tensor, b.Tensor), a.Nchw);
        // The operand order matters for Sub: keep it, only bring the non-NCHW one to NCHW.
        using var aa = a.Nchw ? null : ToNchwBroadcast(a.Tensor);
        using var bb = b.Nchw ? null : ToNchwBroadcast(b.Tensor);
        return new TfJsValue(op(aa ?? a.Tensor, bb ?? b.Tensor), Nchw: true);
    }

    /// <summary>MatMul of rank-2 tensors (transpose_a, transpose_b) and its fused form (_FusedMatMul:
    /// BiasAdd, then an optional activation), as Keras Dense layers convert.</summary>
    public static TfJsValue MatMul(TfJsNode node, TfJsValue a, TfJsValue b, IReadOnlyList<Tensor> extraArgs)
    {
        if (a.Nchw || b.Nchw || a.Tensor.dim() != 2 || b.Tensor.dim() != 2)
            throw new VideoFerException($"node {node.Name} ({node.Op}): needs two rank-2 inputs, got [{string.Join(", ", a.Tensor.shape)}] and [{string.Join(", ", b.Tensor.shape)}]");
        var x = (node.GetBool("transpose_a") ?? false) ? a.Tensor.t() : a.Tensor;
        var w = (node.GetBool("transpose_b") ?? false) ? b.Tensor.t() : b.Tensor;
        if (x.shape[1] != w.shape[0])
            throw new VideoFerException($"node {node.Name} ({node.Op}): [{string.Join(", ", x.shape)}] x [{string.Join(", ", w.shape)}] do not fit");
        var y = torch.matmul(x, w);
        if (node.Op != "_FusedMatMul") return new TfJsValue(y, Nchw: false);
        var fused = node.GetStrings("fused_ops") ?? [];
        int start = 0;
        if (fused.Length > 0 && fused[0] == "BiasAdd")
        {
            if (extraArgs.Count < 1) throw new VideoFerException($"node {node.Name}: BiasAdd without a bias input");
            y = y.add(extraArgs[0].reshape(-1), Layers.Scalars.One);
            start = 1;
        }
        foreach (var op in fused.Skip(start))
            y = Activation(node, op, y);
        return new TfJsValue(y, Nchw: false);
    }

    /// <summary>Mean or Sum over TensorFlow axes.</summary>
    public static TfJsValue Mean(TfJsNode node, TfJsValue input, int[] tfAxes)
    {
        bool keepDims = node.GetBool("keep_dims") ?? false;
        Tensor Reduce(Tensor t, long[] axes) => node.Op == "Sum" ? t.sum(axes, keepdim: keepDims) : t.mean(axes, keepdim: keepDims);
        if (input.Nchw && keepDims)
            return new TfJsValue(Reduce(input.Tensor, tfAxes.Select(a => input.Axis(a)).Distinct().ToArray()), Nchw: true);
        // The remaining axes must come out in TF's order: reduce in TF's layout.
        var plain = new TfJsValue(input.InTfLayout(), Nchw: false);
        return new TfJsValue(Reduce(plain.Tensor, tfAxes.Select(a => plain.Axis(a)).Distinct().ToArray()), Nchw: false);
    }

    /// <summary>Element-wise ops of one input, which keep the layout.</summary>
    public static TfJsValue Unary(TfJsNode node, TfJsValue x) => new(node.Op switch
    {
        "Relu" => F.relu(x.Tensor),
        "Relu6" => F.relu6(x.Tensor),
        "Sigmoid" => torch.sigmoid(x.Tensor),
        "Abs" => x.Tensor.abs(),
        "Square" => x.Tensor.square(),
        "Rsqrt" => x.Tensor.rsqrt(),
        _ => throw new VideoFerException($"node {node.Name}: {node.Op} is not an element-wise unary op"),
    }, x.Nchw);

    /// <summary>Prelu(x, alpha): x where x &gt;= 0, alpha * x below, alpha broadcast as TensorFlow does (MediaPipe's
    /// face mesh and iris networks hold a [1, 1, C] alpha per channel).</summary>
    public static TfJsValue Prelu(TfJsValue x, TfJsValue alpha)
    {
        if (x.Nchw == alpha.Nchw) return new TfJsValue(PreluPlain(x.Tensor, alpha.Tensor), x.Nchw);
        if (!x.Nchw) return new TfJsValue(PreluPlain(x.Tensor, alpha.InTfLayout()), Nchw: false);
        return new TfJsValue(PreluNchw(x.Tensor, alpha.Tensor), Nchw: true);
    }

    // alpha in TensorFlow's layout, broadcast against an NCHW activation.
    private static Tensor PreluNchw(Tensor x, Tensor tfAlpha)
    {
        using var a = ToNchwBroadcast(tfAlpha);
        return PreluPlain(x, a);
    }

    // TF.js's kernel: x < 0 ? alpha * x : x (a select, so that -0 and NaN pass as TF passes them).
    private static Tensor PreluPlain(Tensor x, Tensor alpha)
    {
        using var negative = x.lt(Layers.Scalars.Zero);
        using var scaled = x.mul(alpha);
        return torch.where(negative, scaled, x);
    }

    /// <summary>ConcatV2 of values along a TensorFlow axis (the last input, an int32 constant). Operands of mixed
    /// layouts are joined in TensorFlow's layout.</summary>
    public static TfJsValue Concat(TfJsNode node, IReadOnlyList<TfJsValue> values, int[] axis)
    {
        if (axis.Length != 1) throw new VideoFerException($"node {node.Name}: ConcatV2 needs one axis, got {axis.Length}");
        if (values.Count == 0) throw new VideoFerException($"node {node.Name}: ConcatV2 of nothing");
        long rank = values[0].Tensor.dim();
        if (values.Any(v => v.Tensor.dim() != rank))
            throw new VideoFerException($"node {node.Name}: ConcatV2 of tensors of different ranks");
        if (values.All(v => v.Nchw))
            return new TfJsValue(torch.cat(values.Select(v => v.Tensor).ToArray(), values[0].Axis(axis[0])), Nchw: true);
        var plain = values.Select(v => v.InTfLayout()).ToArray();
        var joined = torch.cat(plain, new TfJsValue(plain[0], Nchw: false).Axis(axis[0]));
        return joined.dim() == 4 ? new TfJsValue(joined.permute(0, 3, 1, 2), Nchw: true) : new TfJsValue(joined, Nchw: false);
    }

    /// <summary>Squeeze of the listed TensorFlow axes (squeeze_dims), or of every size-1 axis when none is listed.</summary>
    public static TfJsValue Squeeze(TfJsNode node, TfJsValue input)
    {
        var plain = new TfJsValue(input.InTfLayout(), Nchw: false);
        var dims = (node.GetInts("squeeze_dims") ?? []).Select(a => plain.Axis(a)).Distinct().OrderDescending().ToList();
        if (dims.Count == 0) dims = Enumerable.Range(0, (int)plain.Tensor.dim()).Where(a => plain.Tensor.shape[a] == 1).Select(a => (long)a).OrderDescending().ToList();
        var t = plain.Tensor;
        foreach (long d in dims)
        {
            if (t.shape[d] != 1) throw new VideoFerException($"node {node.Name}: cannot squeeze axis {d} of size {t.shape[d]}");
            t = t.squeeze(d);
        }
        return new TfJsValue(t, Nchw: false);
    }

    /// <summary>Pad with zeros; <paramref name="paddings"/> is TensorFlow's [rank, 2] (before, after) per axis.</summary>
    public static TfJsValue Pad(TfJsNode node, TfJsValue input, int[] paddings)
    {
        long rank = input.Tensor.dim();
        if (paddings.Length != 2 * rank)
            throw new VideoFerException($"node {node.Name}: {paddings.Length / 2} paddings for a rank-{rank} input");
        // PyTorch's pad lists (before, after) from the last axis of the tensor backwards.
        var list = new List<long>();
        for (long axis = rank - 1; axis >= 0; axis--)
        {
            int tfAxis = Enumerable.Range(0, (int)rank).First(a => input.Axis(a) == axis);
            list.Add(paddings[2 * tfAxis]);
            list.Add(paddings[2 * tfAxis + 1]);
        }
        if (list.Any(p => p < 0)) throw new VideoFerException($"node {node.Name}: negative paddings");
        return new TfJsValue(F.pad(input.Tensor, list.ToArray()), input.Nchw);
    }

    /// <summary>Reshape in TensorFlow's layout (a flatten must read channels last); a rank-4 result is brought
    /// back to NCHW for the convolutions after it.</summary>
    public static TfJsValue Reshape(TfJsValue input, int[] shape)
    {
        var t = input.InTfLayout().reshape(shape.Select(d => (long)d).ToArray());
        return t.dim() == 4 ? new TfJsValue(t.permute(0, 3, 1, 2), Nchw: true) : new TfJsValue(t, Nchw: false);
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
