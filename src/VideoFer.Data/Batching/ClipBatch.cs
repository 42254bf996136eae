using TorchSharp;
using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Data.Batching;

/// <summary>A batch of clips ready for the temporal model. Dispose it to free its tensors (built inside a
/// TorchSharp dispose scope, they also belong to that scope, as usual in TorchSharp).
/// <list type="bullet">
/// <item><see cref="Frames"/>: float32 (B, T, 3, H, W), normalised; zeros for padding slots and missing images.</item>
/// <item><see cref="Labels"/>: int64 (B, T), ABAW class, or -1 where the frame must not be trained on or
/// scored: padding, frames annotated -1, and frames whose image is missing or unreadable.</item>
/// <item><see cref="Mask"/>: bool (B, T), true for real video frames (<see cref="ClipFrame.Real"/>), which
/// all need a prediction; false for padding after the end of a video or to the batch's longest clip.</item>
/// <item><see cref="ValenceArousal"/>: float32 (B, T, 2), NaN where a frame has no VA label (or is not trained on, as above).</item>
/// <item><see cref="ActionUnits"/>: float32 (B, T, AUs), 1/0, or -1 where not annotated; null when no clip of the
/// batch comes from a track with AU annotations.</item>
/// </list></summary>
public sealed class ClipBatch : IDisposable
{
    public ClipBatch(Tensor frames, Tensor labels, Tensor mask, IReadOnlyList<Clip> clips, int missingImages)
    {
        Frames = frames;
        Labels = labels;
        Mask = mask;
        Clips = clips;
        MissingImages = missingImages;
    }

    public Tensor ValenceArousal { get; init; } = null!;
    public Tensor? ActionUnits { get; init; }

    public Tensor Frames { get; }
    public Tensor Labels { get; }
    public Tensor Mask { get; }
    /// <summary>The clips in batch order, to map outputs back to videos and frames.</summary>
    public IReadOnlyList<Clip> Clips { get; }
    /// <summary>Real frames in this batch whose image was missing or unreadable.</summary>
    public int MissingImages { get; }

    public void Dispose()
    {
        Frames.Dispose();
        Labels.Dispose();
        Mask.Dispose();
        ValenceArousal?.Dispose();
        ActionUnits?.Dispose();
    }
}
