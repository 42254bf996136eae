using VideoFer.Data.Images;
using VideoFer.Data.Randomness;
using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Data.Batching;

/// <summary>Assembles <see cref="ClipBatch"/>es: loads every real frame of every clip with that clip's
/// augmentation, pads clips to the longest one, and builds the tensors at the end from plain arrays.
/// Thread-safe; batch workers share one instance.</summary>
public sealed class ClipBatchBuilder(FrameLoader loader)
{
    public ClipBatchBuilder(ImagePipelineOptions options) : this(new FrameLoader(options)) { }

    public FrameLoader Loader { get; } = loader;

    /// <summary>Builds a batch. In training, clip b of batch <paramref name="batchIndex"/> draws its
    /// augmentation from (<paramref name="seed"/>, batchIndex, b), so results do not depend on which
    /// thread builds which batch.</summary>
    public ClipBatch Build(IReadOnlyList<Clip> clips, PipelineMode mode, ulong seed = 0, long batchIndex = 0)
    {
        var augment = new AugmentParams[clips.Count];
        for (int i = 0; i < clips.Count; i++)
            augment[i] = Loader.Augment(mode, SeededRandom.Derive(seed, batchIndex, i));
        return Build(clips, augment);
    }

    /// <summary>Builds a batch with explicit augmentation, one per clip, applied to all of its frames.</summary>
    public ClipBatch Build(IReadOnlyList<Clip> clips, IReadOnlyList<AugmentParams> perClip)
    {
        if (clips.Count == 0) throw new ArgumentException("A batch needs at least one clip.", nameof(clips));
        if (perClip.Count != clips.Count) throw new ArgumentException("One augmentation per clip is needed.", nameof(perClip));
        int batch = clips.Count, steps = clips.Max(c => c.Length), size = Loader.Options.CropSize;
        int image = Loader.Options.ImageFloats;

        // Zero-initialised: padding slots and missing images stay zero.
        var pixels = new float[(long)batch * steps * image];
        var labels = new long[batch * steps];
        var mask = new bool[batch * steps];
        Array.Fill(labels, -1L);
        var valenceArousal = new float[batch * steps * 2];
        Array.Fill(valenceArousal, float.NaN);
        int auCount = clips.SelectMany(c => c.Frames).Max(f => f.ActionUnits?.Length ?? 0);
        var actionUnits = auCount > 0 ? new float[batch * steps * auCount] : null;
        if (actionUnits != null) Array.Fill(actionUnits, -1f);
        int missing = 0;
        for (int b = 0; b < batch; b++)
        {
            var frames = clips[b].Frames;
            for (int t = 0; t < frames.Count; t++)
            {
                var f = frames[t];
                if (!f.Real) continue;
                int slot = b * steps + t;
                mask[slot] = true;
                bool loaded = Loader.TryLoad(f.ImagePath, perClip[b], pixels.AsSpan(slot * image, image));
                if (!loaded) { missing++; continue; }
                if (f.Label >= 0) labels[slot] = f.Label;
                valenceArousal[slot * 2] = f.Valence;
                valenceArousal[slot * 2 + 1] = f.Arousal;
                if (actionUnits != null && f.ActionUnits is { } aus)
                    for (int j = 0; j < aus.Length; j++) actionUnits[slot * auCount + j] = aus[j];
            }
        }

        using var scope = NewDisposeScope();
        var x = tensor(pixels, [batch, steps, 3, size, size]);
        var y = tensor(labels, [batch, steps]);
        var m = tensor(mask, [batch, steps]);
        var va = tensor(valenceArousal, [batch, steps, 2]);
        var au = actionUnits != null ? tensor(actionUnits, [batch, steps, auCount]) : null;
        return new ClipBatch(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), m.MoveToOuterDisposeScope(), clips, missing)
        {
            ValenceArousal = va.MoveToOuterDisposeScope(),
            ActionUnits = au?.MoveToOuterDisposeScope(),
        };
    }
}
