namespace VideoFer.Datasets.AffectNet;

/// <summary>Reads either AffectNet release from its root, lazily, mapping codes to ABAW order.
/// Splits are <c>train</c> (training.csv / train_set) and <c>validation</c> (validation.csv / val_set).</summary>
public sealed class AffectNetReader
{
    readonly AffectNetOptions _options;
    readonly Dictionary<string, string> _splitSources; // split -> list file (Original) or *_set folder (EightLabels)
    readonly string? _imagesDir;

    AffectNetReader(string root, AffectNetRelease release, Dictionary<string, string> sources, string? imagesDir, AffectNetOptions options)
    {
        Root = root;
        Release = release;
        _splitSources = sources;
        _imagesDir = imagesDir;
        _options = options;
    }

    public string Root { get; }
    public AffectNetRelease Release { get; }
    public IReadOnlyList<string> Splits => _splitSources.Keys.ToArray();

    /// <summary>Finds the release under <paramref name="root"/>: <c>Manually_Annotated_file_lists/</c>
    /// means the original one (images in <c>Manually_Annotated_Images/</c> or
    /// <c>Manually_Annotated_compressed/</c>), <c>train_set/</c> or <c>val_set/</c> the newer one.</summary>
    public static AffectNetReader Open(string root, AffectNetOptions? options = null)
    {
        options ??= new AffectNetOptions();
        if (options.ClassCount is not (7 or 8))
            throw new VideoFerException($"AffectNet can be read as 7 or 8 classes, not {options.ClassCount}");
        root = DirectoryLookup.RequireDirectory(root, "the AffectNet root");
        if (DirectoryLookup.ChildDirectory(root, "Manually_Annotated_file_lists") is string lists)
        {
            var sources = new Dictionary<string, string>();
            if (DirectoryLookup.ChildFile(lists, "training.csv") is string training) sources[Datasets.Splits.Train] = training;
            if (DirectoryLookup.ChildFile(lists, "validation.csv") is string validation) sources[Datasets.Splits.Validation] = validation;
            if (sources.Count == 0)
                throw new VideoFerException($"{lists}: expected training.csv and/or validation.csv");
            var images = DirectoryLookup.ChildDirectory(root, "Manually_Annotated_Images")
                         ?? DirectoryLookup.ChildDirectory(root, "Manually_Annotated_compressed")
                         ?? DirectoryLookup.ChildDirectory(root, "Manually_Annotated");
            return new AffectNetReader(root, AffectNetRelease.Original, sources, images, options);
        }
        var sets = new Dictionary<string, string>();
        if (DirectoryLookup.ChildDirectory(root, "train_set") is string train) sets[Datasets.Splits.Train] = train;
        if (DirectoryLookup.ChildDirectory(root, "val_set") is string val) sets[Datasets.Splits.Validation] = val;
        if (sets.Count > 0)
            return new AffectNetReader(root, AffectNetRelease.EightLabels, sets, null, options);
        throw new VideoFerException(
            $"{root}: no AffectNet found; expected Manually_Annotated_file_lists/ (original release) or train_set/ and val_set/ (2021 release)");
    }

    /// <summary>Every image of a split, dropped codes included (their label is -1), in list order
    /// (CSV) or id order (.npy release).</summary>
    public IEnumerable<AffectNetEntry> Entries(string split)
    {
        if (!_splitSources.TryGetValue(split, out var source))
            throw new VideoFerException($"{Root}: this AffectNet copy has no '{split}' split (it has: {string.Join(", ", Splits)})");
        return Release == AffectNetRelease.Original ? CsvEntries(split, source) : NpyEntries(split, source);
    }

    /// <summary>The images usable for training with the configured class count: dropped codes are left out.</summary>
    public IEnumerable<FrameItem> Items(string split) =>
        Entries(split).Where(e => e.Item.Label >= 0).Select(e => e.Item);

    int Label(int code) => AffectNetCodes.ToAbaw(code, _options.ClassCount, _options.ContemptAsOther);

    IEnumerable<AffectNetEntry> CsvEntries(string split, string listFile)
    {
        using var reader = Formats.TextLines.Open(listFile);
        foreach (var row in AffectNetCsv.Parse(reader, listFile, _options.Read))
        {
            string? image = null;
            if (_imagesDir != null)
            {
                var candidate = Path.Combine(_imagesDir, row.RelativePath);
                image = !_options.CheckImages || File.Exists(candidate) ? candidate : null;
            }
            var stem = Path.ChangeExtension(row.RelativePath, null);
            yield return new AffectNetEntry(new FrameItem(DatasetNames.AffectNet, split, stem, 0, image, Label(row.Code)),
                row.Code, row.Box, row.Valence, row.Arousal, row.Line);
        }
    }

    IEnumerable<AffectNetEntry> NpyEntries(string split, string setDir)
    {
        var annotations = DirectoryLookup.ChildDirectory(setDir, "annotations")
            ?? throw new VideoFerException($"{setDir}: expected an annotations/ folder of <id>_exp.npy files");
        var images = DirectoryLookup.ChildDirectory(setDir, "images");
        var expFiles = DirectoryLookup.SafeList(() => Directory.GetFiles(annotations, "*_exp.npy"))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var expFile in expFiles)
        {
            var id = Path.GetFileName(expFile)[..^"_exp.npy".Length];
            var code = AffectNetNpy.ReadExpression(expFile, _options.Read);
            if (code is not int c)
                continue; // lenient mode already warned
            double valence = AffectNetNpy.ReadOptionalNumber(Path.Combine(annotations, id + "_val.npy"), _options.Read);
            double arousal = AffectNetNpy.ReadOptionalNumber(Path.Combine(annotations, id + "_aro.npy"), _options.Read);
            string? image = null;
            if (images != null)
            {
                var candidate = Path.Combine(images, id + ".jpg");
                image = !_options.CheckImages || File.Exists(candidate) ? candidate : null;
            }
            yield return new AffectNetEntry(new FrameItem(DatasetNames.AffectNet, split, id, 0, image, Label(c)), c, null, valence, arousal);
        }
    }
}
