using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Models.Backbones;
using static TorchSharp.torch;

namespace VideoFer.Models.Inference;

/// <summary>What <see cref="InferenceOptimizer.Optimize"/> changes.</summary>
public sealed record InferenceOptions
{
    /// <summary>Fold every BatchNorm into the convolution before it (w' = w·γ/σ, b' = β − μ·γ/σ): one
    /// pass over the activations less per convolution.</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Store convolution weights and feed the backbone in channels-last (NHWC) memory, where
    /// libtorch's oneDNN convolutions were about 20% faster on an AVX2 EPYC (docs/PERFORMANCE.md).
    /// Off by default: on AMD EPYC (Zen 5, family 26) virtual machines oneDNN 3.7.1 (libtorch 2.10) gives
    /// wrong outputs in channels-last (ResNet-18 clip network: 9e-3 off PyTorch's logits) and dies with
    /// SIGFPE (integer division by zero in <c>brg_blocking_t::est_eff_1x1</c>) on ResNet-50/101's 1x1
    /// convolutions, and no flag reaches those kernels' blocking heuristics.</summary>
    public bool ChannelsLast { get; init; }

    public static InferenceOptions None { get; } = new() { FoldBatchNorm = false, ChannelsLast = false };

    public override string ToString() =>
        FoldBatchNorm || ChannelsLast
            ? string.Join(" + ", new[] { FoldBatchNorm ? "BN folded" : null, ChannelsLast ? "channels-last" : null }.OfType<string>())
            : "as trained";
}

/// <summary>Rewrites a trained network for inference, in place: batch norm folded into convolutions and
/// channels-last weights. Outputs stay equal to the original network's within float rounding (tests:
/// 1e-4); the model can no longer be trained or saved as a training checkpoint afterwards.</summary>
/// <remarks>TorchSharp has no graph rewriting (torch.fx) and no memory-format argument, so pairs are
/// found by torchvision's names (convK/bnK, downsample.0/.1, conv/bn) and channels-last is made with
/// the permute-contiguous-permute idiom, which gives NCHW shapes with NHWC strides.</remarks>
public static class InferenceOptimizer
{
    /// <summary>Optimizes <paramref name="model"/> (any module holding VideoFer backbones) and switches
    /// it to eval mode. Returns the number of batch norms folded.</summary>
    public static int Optimize(nn.Module model, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        model.eval();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        int folded = 0;
        using (no_grad())
        {
            if (options.FoldBatchNorm)
                foreach (var (name, module) in modules)
                    if (module is Layers.BatchNorm2d bn && !bn.IsFolded && ConvBefore(name, modules) is Conv2d conv)
                    {
                        Fold(conv, bn);
                        folded++;
                    }
            if (options.ChannelsLast)
            {
                foreach (var module in modules.Values)
                    if (module is Conv2d conv && conv.weight is Parameter w && !IsChannelsLast(w))
                        Replace(conv, ToChannelsLast(w), null);
                foreach (var module in modules.Values)
                    if (module is ResNet resnet) resnet.ChannelsLastInput = true;
            }
        }
        return folded;
    }

    /// <summary>The same tensor data in channels-last memory order, shape unchanged (N, C, H, W).</summary>
    public static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Whether a 4-D tensor's strides are NHWC's (C fastest).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        var s = x.stride();
        long c = x.shape[1], h = x.shape[2], w = x.shape[3];
        return s[1] == 1 && s[3] == c && s[2] == w * c && s[0] == h * w * c;
    }

    // torchvision's pairing: "x.bn2" follows "x.conv2"; "x.downsample.1" follows "x.downsample.0";
    // CBAM's "spatial.bn" follows "spatial.conv".
    static Conv2d? ConvBefore(string bnName, Dictionary<string, nn.Module> modules)
    {
        int dot = bnName.LastIndexOf('.');
        string parent = dot < 0 ? "" : bnName[..(dot + 1)], last = bnName[(dot + 1)..];
        string? convName = last.StartsWith("bn", StringComparison.Ordinal) ? parent + "conv" + last[2..]
            : int.TryParse(last, out int index) && index > 0 ? parent + (index - 1) : null;
        return convName != null && modules.TryGetValue(convName, out var m) && m is Conv2d conv ? conv : null;
    }

    static void Fold(Conv2d conv, Layers.BatchNorm2d bn)
    {
        // In double precision so that folding adds no rounding of its own.
        using var scope = NewDisposeScope();
        var scale = bn.Weight.to(float64) / (bn.RunningVar.to(float64) + bn.Eps).sqrt();
        var weight = conv.weight!.to(float64) * scale.reshape(-1, 1, 1, 1);
        var shift = bn.Bias.to(float64) - bn.RunningMean.to(float64) * scale;
        if (conv.bias is Parameter b) shift = shift + b.to(float64) * scale;
        var type = conv.weight!.dtype;
        Replace(conv, weight.to(type).MoveToOuterDisposeScope(), shift.to(type).MoveToOuterDisposeScope());
        bn.MarkFolded();
    }

    static void Replace(Conv2d conv, Tensor weight, Tensor? bias)
    {
        var oldWeight = conv.weight;
        conv.weight = new Parameter(weight, requires_grad: false);
        oldWeight?.Dispose();
        if (bias is not null)
        {
            var oldBias = conv.bias;
            conv.bias = new Parameter(bias, requires_grad: false);
            oldBias?.Dispose();
        }
    }
}
