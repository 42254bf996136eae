using VideoFer.Data.Synthetic;

namespace VideoFer.Training.Tests;

/// <summary>A small synthetic dataset in the Aff-Wild2 2020 layout (plus an AffectNet-style list),
/// generated once per test run by VideoFer's own generator.</summary>
public sealed class SyntheticData : IDisposable
{
    public string Root { get; } = Path.Combine(Directory.CreateTempSubdirectory("videofer-train-").FullName, "synth");

    public SyntheticData()
    {
        new SyntheticDatasetWriter(new SynthOptions { Videos = 6, FramesMin = 40, FramesMax = 60, Size = 64, AffectNetImages = 60, Seed = 3 })
            .Write(Root);
    }

    /// <summary>A small, fast clip run on this data: resnet18 at 64x64 (resized to 72), 2 clips of 4
    /// frames, a small head; later overrides win.</summary>
    public VideoFer.Training.Config.TrainConfig Tiny(params string[] overrides) =>
        VideoFer.Training.Config.TrainConfigLoader.Load(null, new[]
        {
            "stage=clips", $"affwild2={Root}", "arch=resnet18", "input_size=64", "base_size=72", "clip_length=4",
            "batch_size=2", "lstm_hidden=32", "fc_hidden=32", "lr=0.01", "workers=1", "prefetch=2", "threads=2", "eval_max_videos=2",
        }.Concat(overrides));

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
}

[CollectionDefinition("synthetic")]
public sealed class SyntheticCollection : ICollectionFixture<SyntheticData> { }
