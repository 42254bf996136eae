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

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
}

[CollectionDefinition("synthetic")]
public sealed class SyntheticCollection : ICollectionFixture<SyntheticData> { }
