using VideoFer.Data.Synthetic;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>One small synthetic dataset, generated once and shared by the tests that read it.</summary>
public sealed class SynthDatasetFixture : IDisposable
{
    readonly TempDir _dir = new();

    public SynthDatasetFixture()
    {
        Options = new SynthOptions { Videos = 8, Seed = 11, FramesMin = 60, FramesMax = 120, AffectNetImages = 60, Workers = 2 };
        Root = _dir.Combine("synth");
        Summary = new SyntheticDatasetWriter(Options).Write(Root);
        Meta = Directory.GetFiles(Path.Combine(Root, SynthLayout.Meta), "*.csv")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), ReadMeta);
    }

    public SynthOptions Options { get; }
    public string Root { get; }
    public SynthSummary Summary { get; }

    /// <summary>Per track stem, the ground-truth rows of synth_meta.</summary>
    public IReadOnlyDictionary<string, MetaRow[]> Meta { get; }

    public sealed record MetaRow(int Frame, int Label, int Shown, double Intensity, bool HasImage, bool Occluded, bool Blink);

    static MetaRow[] ReadMeta(string path) => File.ReadAllLines(path).Skip(1).Select(l =>
    {
        var f = l.Split(',');
        return new MetaRow(int.Parse(f[0]), int.Parse(f[1]), int.Parse(f[2]),
            double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), f[4] == "1", f[5] == "1", f[6] == "1");
    }).ToArray();

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SynthDatasetCollection : ICollectionFixture<SynthDatasetFixture>
{
    public const string Name = "synthetic dataset";
}
