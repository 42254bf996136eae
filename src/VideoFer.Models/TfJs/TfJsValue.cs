using static TorchSharp.torch;

namespace VideoFer.Models.TfJs;

/// <summary>A tensor flowing through the executor. Rank-4 activations are kept NCHW (what TorchSharp's
/// convolutions and pools take) and flagged, so that the NHWC to NCHW permute happens once at the input
/// and axis-dependent ops translate TensorFlow's axes instead of permuting back and forth.</summary>
internal readonly record struct TfJsValue(Tensor Tensor, bool Nchw)
{
    /// <summary>The tensor in TensorFlow's own layout (NHWC for rank-4 activations).</summary>
    public Tensor InTfLayout() => Nchw ? Tensor.permute(0, 2, 3, 1) : Tensor;

    /// <summary>TensorFlow's axis <paramref name="tfAxis"/> (negative counts from the end) as an axis of <see cref="Tensor"/>.</summary>
    public long Axis(long tfAxis)
    {
        long rank = Tensor.dim();
        long a = tfAxis < 0 ? tfAxis + rank : tfAxis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(tfAxis), tfAxis, $"axis out of range for rank {rank}");
        if (!Nchw) return a;
        return a switch { 0 => 0, 1 => 2, 2 => 3, _ => 1 }; // N H W C -> N C H W
    }
}
