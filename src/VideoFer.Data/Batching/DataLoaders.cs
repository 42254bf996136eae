using VideoFer.Data.Images;
using VideoFer.Datasets;

namespace VideoFer.Data.Batching;

/// <summary>Background loaders for the two kinds of batches: clips for the temporal model and still
/// images for the frame-only model. Training augmentation is seeded by (seed, batch index, item), so a
/// run is reproducible whatever the number of workers.</summary>
public static class DataLoaders
{
    /// <summary>Loads batches of clips (each element of <paramref name="batches"/> is one batch).</summary>
    public static BatchLoader<IReadOnlyList<Clip>, ClipBatch> Clips(
        IEnumerable<IReadOnlyList<Clip>> batches, ClipBatchBuilder builder, PipelineMode mode, ulong seed = 0, BatchLoaderOptions? options = null) =>
        new(batches, (clips, index) => builder.Build(clips, mode, seed, index), options);

    /// <summary>Loads batches of still images.</summary>
    public static BatchLoader<IReadOnlyList<FrameItem>, FrameBatch> Frames(
        IEnumerable<IReadOnlyList<FrameItem>> batches, FrameBatchBuilder builder, PipelineMode mode, ulong seed = 0, BatchLoaderOptions? options = null) =>
        new(batches, (items, index) => builder.Build(items, mode, seed, index), options);
}
