namespace VideoFer.Datasets.AffWild2;

/// <summary>Where one edition of the Aff-Wild2 expression annotations and its cropped, aligned
/// face images lie on disk. <see cref="Detect"/> finds it from the dataset root, the
/// <c>annotations</c> folder or the edition folder itself.</summary>
/// <param name="AnnotationDir">The edition folder holding the split folders (e.g. <c>EXPR_Set</c>).</param>
/// <param name="DatasetRoot">The folder above the annotations, where <c>cropped_aligned*</c> roots are looked for.</param>
/// <param name="ImageRoots">The <c>cropped_aligned*</c> folders found in <paramref name="DatasetRoot"/>, <c>cropped_aligned</c> first.</param>
/// <param name="TestListFile">The test-set list (one stem per line), if the copy has one.</param>
public sealed record AffWild2Layout(
    AffWild2Edition Edition,
    string AnnotationDir,
    string? TrainDir,
    string? ValidationDir,
    string DatasetRoot,
    IReadOnlyList<string> ImageRoots,
    string? TestListFile)
{
    /// <summary>The annotated splits this copy has (train and/or validation).</summary>
    public IReadOnlyList<string> Splits =>
        new[] { (Datasets.Splits.Train, TrainDir), (Datasets.Splits.Validation, ValidationDir) }
            .Where(s => s.Item2 != null).Select(s => s.Item1).ToArray();

    /// <summary>The folder of a split's annotation files.</summary>
    public string SplitDirectory(string split) => split switch
    {
        Datasets.Splits.Train when TrainDir != null => TrainDir,
        Datasets.Splits.Validation when ValidationDir != null => ValidationDir,
        _ => throw new VideoFerException($"{AnnotationDir}: this Aff-Wild2 copy has no '{split}' annotations (it has: {string.Join(", ", Splits)})"),
    };

    const string Expected =
        "expected annotations/EXPR_Set/Training_Set (2020), EXPR_Set/Train_Set (2021), " +
        "EXPR_Classification_Challenge/Train_Set (2022/2023) or EXPR_Recognition_Challenge/Train_Set (2024), " +
        "each with Validation_Set beside it";

    /// <summary>Finds the annotations under <paramref name="root"/>. With <paramref name="edition"/> only
    /// that edition is looked for; without it, the edition is told by folder names (and, for a renamed
    /// folder, by the header's class count). Several editions under one root need an explicit choice.</summary>
    public static AffWild2Layout Detect(string root, AffWild2Edition? edition = null)
    {
        root = DirectoryLookup.RequireDirectory(root, "the Aff-Wild2 root");
        var found = new List<AffWild2Layout>();
        foreach (var candidate in CandidateFolders(root).Distinct())
        {
            var layout = TryFolder(candidate, root, edition);
            if (layout != null && !found.Any(f => f.AnnotationDir == layout.AnnotationDir))
                found.Add(layout);
        }
        if (found.Count == 0)
            throw new VideoFerException(edition is AffWild2Edition e
                ? $"{root}: no Aff-Wild2 expression annotations of edition {e.Name()} found; {Expected}"
                : $"{root}: no Aff-Wild2 expression annotations found; {Expected}");
        var editions = found.Select(f => f.Edition).Distinct().ToList();
        if (editions.Count > 1)
            throw new VideoFerException(
                $"{root}: several Aff-Wild2 editions found ({string.Join(", ", found.Select(f => $"{f.Edition.Name()} in {f.AnnotationDir}"))}); name one explicitly");
        // One edition in several folders (a 2024 copy keeping the old folder name as well): the usual name wins.
        return found.OrderBy(f => FolderRank(f)).First();
    }

    static int FolderRank(AffWild2Layout layout)
    {
        int i = layout.Edition.AnnotationFolders().ToList()
            .FindIndex(n => n.Equals(Path.GetFileName(layout.AnnotationDir), StringComparison.OrdinalIgnoreCase));
        return i < 0 ? int.MaxValue : i;
    }

    static IEnumerable<string> CandidateFolders(string root)
    {
        var parents = new List<string> { root };
        if (DirectoryLookup.ChildDirectory(root, "annotations") is string annotations)
            parents.Add(annotations);
        foreach (var parent in parents)
        {
            yield return parent;
            foreach (var name in KnownFolderNames)
                if (DirectoryLookup.ChildDirectory(parent, name) is string child)
                    yield return child;
        }
    }

    static readonly string[] KnownFolderNames = ["EXPR_Set", "EXPR_Classification_Challenge", "EXPR_Recognition_Challenge"];

    static AffWild2Layout? TryFolder(string folder, string root, AffWild2Edition? requested)
    {
        var training = DirectoryLookup.ChildDirectory(folder, "Training_Set");
        var train = training ?? DirectoryLookup.ChildDirectory(folder, "Train_Set");
        var validation = DirectoryLookup.ChildDirectory(folder, AffWild2Editions.ValidationFolder);
        if (train == null && validation == null)
            return null;

        var name = Path.GetFileName(folder);
        AffWild2Edition[] possible = name.ToUpperInvariant() switch
        {
            "EXPR_SET" => training != null ? [AffWild2Edition.Abaw2020] : [AffWild2Edition.Abaw2021],
            "EXPR_CLASSIFICATION_CHALLENGE" => [AffWild2Edition.Abaw2022, AffWild2Edition.Abaw2024],
            "EXPR_RECOGNITION_CHALLENGE" => [AffWild2Edition.Abaw2024],
            _ => [GuessFromContent(training, train ?? validation!)],
        };
        AffWild2Edition edition;
        if (requested is AffWild2Edition r)
        {
            bool renamed = !KnownFolderNames.Contains(name, StringComparer.OrdinalIgnoreCase);
            bool sameFamily = possible.Contains(r) || (name.Equals("EXPR_Set", StringComparison.OrdinalIgnoreCase) && r.ClassCount() == 7);
            if (!renamed && !sameFamily)
                return null;
            edition = r;
        }
        else
        {
            edition = possible[0];
        }

        var parent = Path.GetDirectoryName(folder);
        var datasetRoot = parent == null ? folder
            : Path.GetFileName(parent).Equals("annotations", StringComparison.OrdinalIgnoreCase)
                ? Path.GetDirectoryName(parent) ?? parent
                : parent;
        return new AffWild2Layout(edition, folder, train, validation, datasetRoot,
            FindImageRoots(datasetRoot), FindTestList(folder, parent, datasetRoot, root));
    }

    // A folder with an unfamiliar name: Training_Set only existed in 2020; otherwise the header says 7 or 8 classes.
    static AffWild2Edition GuessFromContent(string? training, string splitDir)
    {
        if (training != null)
            return AffWild2Edition.Abaw2020;
        var first = DirectoryLookup.SafeList(() => Directory.GetFiles(splitDir, "*.txt")).Order(StringComparer.Ordinal).FirstOrDefault();
        if (first != null)
        {
            try
            {
                using var file = ExpressionLabelFile.Open(first);
                if (file.ClassCount == 8)
                    return AffWild2Edition.Abaw2022;
            }
            catch (VideoFerException)
            {
                // A broken first file is reported when it is read; for the guess, assume 7 classes.
            }
        }
        return AffWild2Edition.Abaw2021;
    }

    /// <summary>Every <c>cropped_aligned*</c> folder of a dataset root: <c>cropped_aligned</c> first, then
    /// the others (ABAW6's <c>cropped_aligned_new_50_vids</c>) in name order.</summary>
    public static IReadOnlyList<string> FindImageRoots(string datasetRoot) =>
        DirectoryLookup.SafeList(() => Directory.GetDirectories(datasetRoot))
            .Where(d => Path.GetFileName(d).StartsWith("cropped_aligned", StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => Path.GetFileName(d).Equals("cropped_aligned", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(d => d, StringComparer.Ordinal)
            .ToArray();

    static string? FindTestList(params string?[] folders)
    {
        foreach (var folder in folders.Where(f => f != null).Distinct())
            foreach (var name in AffWild2Editions.TestListFiles)
                if (DirectoryLookup.ChildFile(folder!, name) is string file)
                    return file;
        return null;
    }
}
