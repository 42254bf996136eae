using VideoFer.Data.Images;
using VideoFer.Data.Randomness;
using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Data.Batching;

/// <summary>Assembles <see cref="FrameBatch"/>es of independent images (frame-only mode: pre-training on
/// AffectNet/RAF-DB, or the frame baseline on video frames). Each image gets its own augmentation.
/// Thread-safe.</summary>
public sealed class FrameBatchBuilder(FrameLoader loader)
{
    public FrameBatchBuilder(ImagePipelineOptions options) : this(new FrameLoader(options)) { }

    public FrameLoader Loader { get; } = loader;

    /// <summary>Builds a batch; in training, item i of batch <paramref name="batchIndex"/> draws its
    /// augmentation from (<paramref name="seed"/>, batchIndex, i).</summary>
    public FrameBatch Build(IReadOnlyList<FrameItem> items, PipelineMode mode, ulong seed = 0, long batchIndex = 0)
    {
        if (items.Count == 0) throw new ArgumentException("A batch needs at least one image.", nameof(items));
        int n = items.Count, size = Loader.Options.CropSize, image = Loader.Options.ImageFloats;
        var pixels = new float[(long)n * image];
        var labels = new long[n];
        var loaded = new bool[n];
        int missing = 0;
        for (int i = 0; i < n; i++)
        {
            var augment = Loader.Augment(mode, SeededRandom.Derive(seed, batchIndex, i));
            loaded[i] = Loader.TryLoad(items[i].ImagePath, augment, pixels.AsSpan(i * image, image));
            if (!loaded[i]) missing++;
            labels[i] = loaded[i] && items[i].Label >= 0 ? items[i].Label : -1;
        }

        using var scope = NewDisposeScope();
        var x = tensor(pixels, [n, 3, size, size]);
        var y = tensor(labels, [n]);
        var l = tensor(loaded, [n]);
        return new FrameBatch(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), l.MoveToOuterDisposeScope(), items, missing);
    }
}
