using TorchSharp;
using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Data.Tests.Images;
using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Data.Tests.Batching;

public class ClipBatchBuilderTests : IDisposable
{
    readonly TempDir _dir = new();
    readonly string[] _images;
    static readonly ImagePipelineOptions Small = new() { BaseSize = 80, CropSize = 64 };

    public ClipBatchBuilderTests()
    {
        _images = Enumerable.Range(0, 4).Select(i =>
        {
            var p = _dir.Combine($"{i:D5}.png");
            TestImages.WriteRandom(p, 80, (ulong)i);
            return p;
        }).ToArray();
    }

    public void Dispose() => _dir.Dispose();

    static Clip MakeClip(string stem, params (string? Path, int Label, bool Real)[] frames) =>
        new(stem, 1, frames.Select((f, i) => new ClipFrame(i + 1, f.Path, f.Label, f.Real)).ToArray());

    [Fact]
    public void ShapesLabelsMaskAndPadding()
    {
        var builder = new ClipBatchBuilder(Small);
        var clips = new[]
        {
            MakeClip("a", (_images[0], 4, true), (_images[1], -1, true), (null, 0, false)),     // last slot is padding
            MakeClip("b", (_images[2], 6, true)),                                                // shorter: padded to 3
        };
        using var batch = builder.Build(clips, PipelineMode.Evaluation);
        Assert.Equal(new long[] { 2, 3, 3, 64, 64 }, batch.Frames.shape);
        Assert.Equal(ScalarType.Float32, batch.Frames.dtype);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal(ScalarType.Bool, batch.Mask.dtype);
        Assert.Equal(new long[] { 4, -1, -1, 6, -1, -1 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(new[] { true, true, false, true, false, false }, batch.Mask.data<bool>().ToArray());
        // Padding slots are exactly zero, real ones are not.
        Assert.Equal(0f, batch.Frames[0, 2].abs().max().item<float>());
        Assert.Equal(0f, batch.Frames[1, 1].abs().max().item<float>());
        Assert.Equal(0f, batch.Frames[1, 2].abs().max().item<float>());
        Assert.True(batch.Frames[0, 1].abs().max().item<float>() > 0);
        Assert.Equal(0, batch.MissingImages);
    }

    [Fact]
    public void MatchesTheSingleImagePipeline()
    {
        var builder = new ClipBatchBuilder(Small);
        using var batch = builder.Build([MakeClip("a", (_images[3], 1, true))], PipelineMode.Evaluation);
        var expected = new float[Small.ImageFloats];
        Assert.True(new FrameLoader(Small).TryLoad(_images[3], AugmentParams.Center(Small), expected));
        Assert.Equal(expected, batch.Frames.reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void AllFramesOfAClipShareOneAugmentation()
    {
        var builder = new ClipBatchBuilder(Small with { Brightness = 0.3, Contrast = 0.3, Saturation = 0.3 });
        // Each clip shows the same image 6 times: identical augmentation gives identical frames.
        var clips = Enumerable.Range(0, 6).Select(c => MakeClip($"c{c}", Enumerable.Repeat((_images[0], 0, true), 6).Select(f => ((string?)f.Item1, f.Item2, f.Item3)).ToArray())).ToArray();
        bool anyClipsDiffer = false;
        for (long index = 0; index < 3; index++)
        {
            using var batch = builder.Build(clips, PipelineMode.Training, seed: 9, batchIndex: index);
            for (int b = 0; b < clips.Length; b++)
                for (int t = 1; t < 6; t++)
                    Assert.True(batch.Frames[b, t].eq(batch.Frames[b, 0]).all().item<bool>(), $"clip {b} frame {t}");
            anyClipsDiffer |= !batch.Frames[0, 0].eq(batch.Frames[1, 0]).all().item<bool>();
        }
        Assert.True(anyClipsDiffer, "different clips should get different augmentation");
    }

    [Fact]
    public void TrainingBatchesAreReproducibleFromSeedAndIndex()
    {
        var builder = new ClipBatchBuilder(Small);
        var clips = new[] { MakeClip("a", (_images[0], 1, true), (_images[1], 2, true)), MakeClip("b", (_images[2], 3, true), (_images[3], 4, true)) };
        using var a = builder.Build(clips, PipelineMode.Training, seed: 4, batchIndex: 7);
        using var b = builder.Build(clips, PipelineMode.Training, seed: 4, batchIndex: 7);
        using var c = builder.Build(clips, PipelineMode.Training, seed: 4, batchIndex: 8);
        using var d = builder.Build(clips, PipelineMode.Training, seed: 5, batchIndex: 7);
        Assert.True(a.Frames.eq(b.Frames).all().item<bool>());
        Assert.False(a.Frames.eq(c.Frames).all().item<bool>());
        Assert.False(a.Frames.eq(d.Frames).all().item<bool>());
    }

    [Fact]
    public void MissingImagesAreZerosIgnoredAndCountedButStillMasked()
    {
        var broken = _dir.Combine("broken.jpg");
        File.WriteAllText(broken, "not a jpeg");
        var builder = new ClipBatchBuilder(Small);
        using var batch = builder.Build([MakeClip("a", (_images[0], 2, true), (broken, 3, true), (null, 4, true), (_dir.Combine("gone.jpg"), 5, true))], PipelineMode.Evaluation);
        Assert.Equal(3, batch.MissingImages);
        Assert.Equal(3, builder.Loader.MissingImages);
        Assert.Equal(new long[] { 2, -1, -1, -1 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(new[] { true, true, true, true }, batch.Mask.data<bool>().ToArray());
        for (int t = 1; t < 4; t++) Assert.Equal(0f, batch.Frames[0, t].abs().max().item<float>());
    }

    [Fact]
    public void TensorsBelongToTheCallersDisposeScopeOrElseToTheBatch()
    {
        var builder = new ClipBatchBuilder(Small);
        var clip = MakeClip("a", (_images[0], 2, true));
        ClipBatch scoped;
        using (NewDisposeScope())
        {
            scoped = builder.Build([clip], PipelineMode.Evaluation);
            Assert.Equal(1L, scoped.Labels.numel()); // alive inside the scope: the builder's own scope did not take it
        }
        Assert.True(scoped.Frames.IsInvalid && scoped.Labels.IsInvalid && scoped.Mask.IsInvalid);
        scoped.Dispose(); // harmless after the scope

        // Without a scope (as on loader threads) the batch owns them until disposed.
        var owned = builder.Build([clip], PipelineMode.Evaluation);
        Assert.False(owned.Frames.IsInvalid);
        owned.Dispose();
        Assert.True(owned.Frames.IsInvalid && owned.Labels.IsInvalid && owned.Mask.IsInvalid);
    }

    [Fact]
    public void FrameBatchesAugmentEachImageOnItsOwn()
    {
        var builder = new FrameBatchBuilder(Small);
        var items = Enumerable.Range(0, 8).Select(i => new FrameItem("test", "train", "s", 0, _images[0], i % 7)).Append(new FrameItem("test", "train", "s", 0, null, 3)).ToArray();
        using var batch = builder.Build(items, PipelineMode.Training, seed: 1);
        Assert.Equal(new long[] { 9, 3, 64, 64 }, batch.Images.shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 0, -1 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Repeat(true, 8).Append(false), batch.Loaded.data<bool>().ToArray());
        Assert.Equal(1, batch.MissingImages);
        int distinct = Enumerable.Range(0, 8).Select(i => string.Join(",", batch.Images[i].reshape(-1)[..32].data<float>().ToArray())).Distinct().Count();
        Assert.True(distinct > 4, $"only {distinct} distinct augmentations of one image");
        Assert.Equal(0f, batch.Images[8].abs().max().item<float>());
    }
}
