using System.Globalization;
using VideoFer.Data.Synthetic;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>Two synthetic datasets of the same seed, 2020 and 2021 editions (8 and 12 AUs), read back from
/// the written EXPR, VA and AU files and synth_meta, frame by frame, for the label consistency tests.</summary>
public sealed class TaskLabelFixture : IDisposable
{
    readonly TempDir _dir = new();

    /// <summary>One frame of a track with every file present: the written labels (NaN / null where the file
    /// has the sentinel) and, from synth_meta, the intensity the face was drawn at.</summary>
    public sealed record Frame(string Stem, bool Validation, int Number, int Expression, double Valence, double Arousal,
        IReadOnlyDictionary<string, int>? Units, double Intensity);

    public TaskLabelFixture()
    {
        var options = new SynthOptions
        {
            Videos = 24, Seed = 17, FramesMin = 80, FramesMax = 160, Size = 48, AffectNetImages = 0, Workers = 2,
            MissingTaskTracks = 0,
        };
        Root2020 = _dir.Combine("s2020");
        Root2021 = _dir.Combine("s2021");
        new SyntheticDatasetWriter(options).Write(Root2020);
        new SyntheticDatasetWriter(options with { Edition = AffWild2Edition.Abaw2021, AffectNetImages = 280 }).Write(Root2021);
        Frames2020 = Read(Root2020, "Training_Set", TaskFiles.Au2020Header);
        Frames2021 = Read(Root2021, "Train_Set", TaskFiles.Au2021Header);
    }

    public string Root2020 { get; }
    public string Root2021 { get; }
    public IReadOnlyList<Frame> Frames2020 { get; }
    public IReadOnlyList<Frame> Frames2021 { get; }

    static List<Frame> Read(string root, string trainFolder, string auHeader)
    {
        var frames = new List<Frame>();
        var names = auHeader.Split(',');
        foreach (var split in new[] { trainFolder, "Validation_Set" })
            foreach (var (stem, exprFile) in TaskFiles.Stems(Path.Combine(root, "annotations", "EXPR_Set", split)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var labels = TaskFiles.ReadExpr(exprFile, TaskFiles.Expr7Header);
                var va = TaskFiles.ReadVa(Path.Combine(root, "annotations", "VA_Set", split, stem + ".txt"));
                var au = TaskFiles.ReadAu(Path.Combine(root, "annotations", "AU_Set", split, stem + ".txt"), auHeader);
                var intensity = File.ReadAllLines(Path.Combine(root, "synth_meta", stem + ".csv")).Skip(1)
                    .Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
                for (int k = 0; k < labels.Length; k++)
                    frames.Add(new Frame(stem, split == "Validation_Set", k + 1, labels[k], va[k].V, va[k].A,
                        au[k] is int[] values ? names.Select((n, j) => (n, values[j])).ToDictionary(p => p.n, p => p.Item2) : null,
                        intensity[k]));
            }
        return frames;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TaskLabelCollection : ICollectionFixture<TaskLabelFixture>
{
    public const string Name = "synthetic task labels";
}
