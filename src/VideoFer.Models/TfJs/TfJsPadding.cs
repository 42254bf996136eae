namespace VideoFer.Models.TfJs;

/// <summary>Padding of one spatial dimension: elements added before (top/left) and after (bottom/right).</summary>
public readonly record struct PadPair(long Before, long After)
{
    public bool IsSymmetric => Before == After;
    public bool IsZero => Before == 0 && After == 0;
}

/// <summary>TensorFlow's padding rules for convolutions and pools. 'SAME' can pad one element more at the
/// bottom/right than at the top/left, which PyTorch's symmetric padding argument cannot express; callers
/// pad explicitly in that case.</summary>
public static class TfJsPadding
{
    /// <summary>Padding of one dimension of size <paramref name="size"/> for 'VALID' or 'SAME'.</summary>
    public static PadPair Compute(string padding, long size, long kernel, long stride, long dilation)
    {
        switch (padding)
        {
            case "VALID":
                return new PadPair(0, 0);
            case "SAME":
                long output = (size + stride - 1) / stride;
                long effectiveKernel = (kernel - 1) * dilation + 1;
                long total = Math.Max((output - 1) * stride + effectiveKernel - size, 0);
                return new PadPair(total / 2, total - total / 2);
            default:
                throw new ArgumentException($"padding '{padding}' has no computed form", nameof(padding));
        }
    }

    /// <summary>Height and width padding of a node: 'VALID', 'SAME', or 'EXPLICIT' with explicit_paddings given
    /// as NHWC (before, after) pairs.</summary>
    public static (PadPair Height, PadPair Width) ForNode(
        TfJsNode node, long height, long width, long kernelH, long kernelW, long strideH, long strideW, long dilationH, long dilationW)
    {
        string padding = node.GetString("padding") ?? "VALID";
        if (padding == "EXPLICIT")
        {
            var p = node.GetInts("explicit_paddings") ?? [];
            if (p.Length != 8)
                throw new VideoFerException($"node {node.Name}: EXPLICIT padding needs 8 explicit_paddings, found {p.Length}");
            return (new PadPair(p[2], p[3]), new PadPair(p[4], p[5]));
        }
        if (padding is not ("VALID" or "SAME"))
            throw new VideoFerException($"node {node.Name}: unsupported padding '{padding}'");
        return (Compute(padding, height, kernelH, strideH, dilationH), Compute(padding, width, kernelW, strideW, dilationW));
    }
}
