using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Data.Batching;

/// <summary>A batch of still images (or single video frames) for the frame-only model; dispose it to free its tensors.
/// <see cref="Images"/> is float32 (B, 3, H, W); <see cref="Labels"/> is int64 (B), -1 where the label is -1
/// or the image is missing (its pixels are then zeros); <see cref="Loaded"/> is bool (B), true where the
/// image was read.</summary>
public sealed class FrameBatch : IDisposable
{
    public FrameBatch(Tensor images, Tensor labels, Tensor loaded, IReadOnlyList<FrameItem> items, int missingImages)
    {
        Images = images;
        Labels = labels;
        Loaded = loaded;
        Items = items;
        MissingImages = missingImages;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public Tensor Loaded { get; }
    public IReadOnlyList<FrameItem> Items { get; }
    public int MissingImages { get; }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Loaded.Dispose();
    }
}
