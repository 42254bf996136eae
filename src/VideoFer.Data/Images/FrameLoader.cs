using VideoFer.Data.Randomness;

namespace VideoFer.Data.Images;

/// <summary>Decode plus transform for one frame, counting the images that could not be loaded.
/// Thread-safe: several batch workers share one instance.</summary>
public sealed class FrameLoader(ImagePipelineOptions options)
{
    readonly ImageTransform _transform = new(options);
    long _missing;

    public ImagePipelineOptions Options => _transform.Options;

    /// <summary>Images asked for so far that had no file or could not be decoded.</summary>
    public long MissingImages => Interlocked.Read(ref _missing);

    /// <summary>Fills <paramref name="chw"/> with the transformed image and returns true, or zeroes it,
    /// counts the image as missing and returns false.</summary>
    public bool TryLoad(string? path, AugmentParams p, Span<float> chw)
    {
        using var mat = ImageDecoder.TryRead(path);
        if (mat == null)
        {
            chw.Clear();
            Interlocked.Increment(ref _missing);
            return false;
        }
        _transform.Apply(mat, p, chw);
        return true;
    }

    /// <summary>The augmentation for one image or clip: random in training (from <paramref name="rng"/>), centre crop otherwise.</summary>
    public AugmentParams Augment(PipelineMode mode, SeededRandom rng) =>
        mode == PipelineMode.Training ? AugmentParams.Sample(Options, rng) : AugmentParams.Center(Options);
}
