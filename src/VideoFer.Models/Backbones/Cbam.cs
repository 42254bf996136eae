using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Models.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VideoFer.Models.Backbones;

// Convolutional Block Attention Module (Woo et al., ECCV 2018), laid out like its reference code so
// that parameter names match: cbam.ChannelGate.mlp.{1,3}.*, cbam.SpatialGate.spatial.{conv,bn}.*.
// Field names are the state_dict names, hence the capitalised ones.
#pragma warning disable IDE1006 // naming: fields mirror PyTorch parameter names

/// <summary>Channel attention: one shared MLP (C -> C/r -> C, biases, ReLU between) over the global
/// average- and max-pooled features; the two outputs are summed and squashed by a sigmoid.</summary>
public sealed class ChannelGate : Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    public ChannelGate(long channels, long reduction = 16) : base(nameof(ChannelGate))
    {
        long hidden = Math.Max(1, channels / reduction);
        // Index 0 is the flatten, as in the reference code, so the linears are mlp.1 and mlp.3.
        mlp = Sequential(
            ("0", Flatten()),
            ("1", Linear(channels, hidden)),
            ("2", ReLU()),
            ("3", Linear(hidden, channels)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var avg = mlp.forward(functional.adaptive_avg_pool2d(x, 1));
        var max = mlp.forward(functional.adaptive_max_pool2d(x, [1L, 1L]));
        var scale = sigmoid(avg.add(max, Scalars.One)).unsqueeze(-1).unsqueeze(-1);
        return Gate.Apply(x, scale).MoveToOuterDisposeScope();
    }
}

/// <summary>The reference code's BasicConv without ReLU: a bias-free convolution followed by BatchNorm.</summary>
public sealed class ConvBn : Module<Tensor, Tensor>
{
    /// <summary>The channel block of oneDNN's blocked layouts on AVX-512 (8 on AVX2 divides it).</summary>
    internal const long ChannelBlock = 16;

    private readonly Conv2d conv;
    private readonly Layers.BatchNorm2d bn;
    private readonly long outChannels, padding;

    public ConvBn(long inChannels, long outChannels, long kernelSize, long padding) : base(nameof(ConvBn))
    {
        this.outChannels = outChannels;
        this.padding = padding;
        conv = Conv2d(inChannels, outChannels, kernelSize, padding: padding, bias: false);
        // momentum 0.01 as in the CBAM reference implementation.
        bn = new Layers.BatchNorm2d(outChannels, eps: 1e-5, momentum: 0.01);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var c = is_grad_enabled() && outChannels % ChannelBlock != 0 ? ConvolveForBackward(x) : conv.forward(x);
        return bn.forward(c);
    }

    /// <summary>The same convolution, computed so that its input gradient is right: libtorch 2.10's oneDNN
    /// backward-data kernel returns garbage or NaN for the input gradient when the output channels are not a
    /// multiple of its channel block (measured on AMD EPYC Zen 5 with the jit:avx512_core and jit:avx2 kernels:
    /// 1-15, 17, 33, 65 output channels wrong, 16, 32, 48, 64 right; the forward pass and the weight gradient
    /// are right), which made every CBAM network's loss NaN within a few iterations there. The filters are
    /// padded with zero filters to a whole block and the extra outputs dropped: outputs and gradients are
    /// unchanged, and the backward pass runs the block-aligned kernel that every ResNet convolution uses.</summary>
    Tensor ConvolveForBackward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var weight = conv.weight!;
        long padded = (outChannels + ChannelBlock - 1) / ChannelBlock * ChannelBlock;
        var filters = cat([weight, zeros([padded - outChannels, .. weight.shape[1..]], weight.dtype, weight.device)], 0);
        var y = functional.conv2d(x, filters, conv.bias, padding: [padding, padding]);
        return y.narrow(1, 0, outChannels).MoveToOuterDisposeScope();
    }
}

/// <summary>Spatial attention: [max over channels, mean over channels] -> 7x7 conv (no bias) -> BN(1) -> sigmoid.</summary>
public sealed class SpatialGate : Module<Tensor, Tensor>
{
    private readonly ConvBn spatial;

    public SpatialGate(long kernelSize = 7) : base(nameof(SpatialGate))
    {
        spatial = new ConvBn(2, 1, kernelSize, padding: (kernelSize - 1) / 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = cat([x.amax([1L], keepdim: true), x.mean([1L], keepdim: true)], dim: 1);
        var scale = sigmoid(spatial.forward(pooled));
        return Gate.Apply(x, scale).MoveToOuterDisposeScope();
    }
}

static class Gate
{
    /// <summary>x·scale. Without autograd, x is the gate's own input, an intermediate of the residual
    /// branch nobody reads again, so it is scaled in place and no new activation is allocated.</summary>
    public static Tensor Apply(Tensor x, Tensor scale)
    {
        if (is_grad_enabled()) return x * scale;
        x.mul_(scale);
        return x.alias(); // a handle of its own, like the result of x * scale
    }
}

/// <summary>CBAM: channel gate then spatial gate, applied to a residual branch.</summary>
public sealed class Cbam : Module<Tensor, Tensor>
{
    private readonly ChannelGate ChannelGate;
    private readonly SpatialGate SpatialGate;

    public Cbam(long channels, long reduction = 16) : base(nameof(Cbam))
    {
        ChannelGate = new ChannelGate(channels, reduction);
        SpatialGate = new SpatialGate();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var c = ChannelGate.forward(x);
        return SpatialGate.forward(c);
    }
}
