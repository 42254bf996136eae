namespace VideoFer.Data.Batching;

/// <summary>Background batch assembly: <see cref="Workers"/> batches are built at once, and at most
/// <see cref="Capacity"/> finished or in-progress batches wait for the consumer (plus one being handed
/// over), which bounds memory whatever the speed difference between loading and training.</summary>
public sealed record BatchLoaderOptions
{
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);
    public int Capacity { get; init; } = 4;

    public BatchLoaderOptions Validated()
    {
        if (Workers < 1) throw new VideoFerException($"The number of loader workers must be at least 1 (got {Workers}).");
        if (Capacity < 1) throw new VideoFerException($"The loader queue capacity must be at least 1 (got {Capacity}).");
        return this;
    }
}
