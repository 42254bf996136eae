namespace VideoFer.Datasets.AffWild2;

/// <summary>One task's annotation folder of an edition (e.g. <c>VA_Estimation_Challenge</c>) with its
/// split folders, each holding one <c>&lt;stem&gt;.txt</c> per track.</summary>
public sealed record TaskAnnotationFolder(AbawTasks Task, string Folder, string? TrainDir, string? ValidationDir)
{
    /// <summary>The splits this folder has (train and/or validation).</summary>
    public IReadOnlyList<string> Splits =>
        new[] { (Datasets.Splits.Train, TrainDir), (Datasets.Splits.Validation, ValidationDir) }
            .Where(s => s.Item2 != null).Select(s => s.Item1).ToArray();

    /// <summary>The folder of a split's files, or null if this task has none for it.</summary>
    public string? SplitDirectory(string split) => split switch
    {
        Datasets.Splits.Train => TrainDir,
        Datasets.Splits.Validation => ValidationDir,
        _ => null,
    };
}

/// <summary>The two files of the 2022 multi-task (s-Aff-Wild2) annotations, one per split, each labelling
/// every task (see <see cref="MultiTaskAnnotationFile"/>).</summary>
public sealed record MultiTaskFiles(string Folder, string? TrainFile, string? ValidationFile)
{
    public IReadOnlyList<string> Splits =>
        new[] { (Datasets.Splits.Train, TrainFile), (Datasets.Splits.Validation, ValidationFile) }
            .Where(s => s.Item2 != null).Select(s => s.Item1).ToArray();

    public string? File(string split) => split switch
    {
        Datasets.Splits.Train => TrainFile,
        Datasets.Splits.Validation => ValidationFile,
        _ => null,
    };
}

/// <summary>Where one edition of the Aff-Wild2 annotations and its cropped, aligned face images lie on
/// disk: the folders of the expression, valence-arousal and action unit tasks the copy has (any subset),
/// or the 2022 multi-task files. <see cref="Detect"/> finds it from the dataset root, the
/// <c>annotations</c> folder or a task folder itself.</summary>
/// <param name="AnnotationDir">The expression folder holding the split folders (e.g. <c>EXPR_Set</c>); in a
/// copy without expression folders, the first task folder found (or the folder of the multi-task files).</param>
/// <param name="TrainDir">The expression training folder, if the copy has one.</param>
/// <param name="ValidationDir">The expression validation folder, if the copy has one.</param>
/// <param name="DatasetRoot">The folder above the annotations, where <c>cropped_aligned*</c> roots are looked for.</param>
/// <param name="ImageRoots">The <c>cropped_aligned*</c> folders found in <paramref name="DatasetRoot"/>, <c>cropped_aligned</c> first.</param>
/// <param name="TestListFile">The expression test-set list (one stem per line), if the copy has one.</param>
public sealed record AffWild2Layout(
    AffWild2Edition Edition,
    string AnnotationDir,
    string? TrainDir,
    string? ValidationDir,
    string DatasetRoot,
    IReadOnlyList<string> ImageRoots,
    string? TestListFile)
{
    readonly IReadOnlyList<TaskAnnotationFolder>? _taskFolders;

    /// <summary>The task folders of this copy, expression first, then valence-arousal, then action units.
    /// A layout built from the positional arguments alone has its expression folder here.</summary>
    public IReadOnlyList<TaskAnnotationFolder> TaskFolders
    {
        get => _taskFolders ?? (TrainDir != null || ValidationDir != null
            ? [new TaskAnnotationFolder(AbawTasks.Expression, AnnotationDir, TrainDir, ValidationDir)]
            : []);
        init => _taskFolders = value;
    }

    /// <summary>The 2022 multi-task files, when the copy is laid out that way (then there are no task folders).</summary>
    public MultiTaskFiles? MultiTask { get; init; }

    /// <summary>The tasks asked for when the layout was detected; others are left out even if present.</summary>
    public AbawTasks RequestedTasks { get; init; } = AbawTasks.All;

    /// <summary>The AU list every AU file must match, when the edition is known from the folder names
    /// or was named explicitly; null for a renamed folder whose edition was guessed (then each file's
    /// header is accepted as it stands).</summary>
    public IReadOnlyList<string>? ActionUnitNames { get; init; }

    /// <summary>The tasks this copy has annotations for (within <see cref="RequestedTasks"/>).</summary>
    public AbawTasks Tasks =>
        (TaskFolders.Aggregate(AbawTasks.None, (t, f) => t | f.Task) | (MultiTask != null ? AbawTasks.All : AbawTasks.None))
        & RequestedTasks;

    /// <summary>The folder of one task, or null if the copy has none.</summary>
    public TaskAnnotationFolder? TaskFolder(AbawTasks task) => TaskFolders.FirstOrDefault(f => f.Task == task);

    /// <summary>The annotated splits this copy has (train and/or validation) in any task.</summary>
    public IReadOnlyList<string> Splits =>
        new[] { Datasets.Splits.Train, Datasets.Splits.Validation }
            .Where(s => TaskFolders.Any(f => f.SplitDirectory(s) != null) || MultiTask?.File(s) != null)
            .ToArray();

    /// <summary>The folder of a split's expression annotation files.</summary>
    public string SplitDirectory(string split) => split switch
    {
        Datasets.Splits.Train when TrainDir != null => TrainDir,
        Datasets.Splits.Validation when ValidationDir != null => ValidationDir,
        _ when Splits.Contains(split) => throw new VideoFerException(
            $"{AnnotationDir}: this Aff-Wild2 copy has no expression annotations for '{split}' (it has {AbawTaskNames.Name(Tasks)} annotations)"),
        _ => throw new VideoFerException($"{AnnotationDir}: this Aff-Wild2 copy has no '{split}' annotations (it has: {string.Join(", ", Splits)})"),
    };

    /// <summary>The folder of a split's files of one task, or null if the copy has none.</summary>
    public string? SplitDirectory(AbawTasks task, string split) => TaskFolder(task)?.SplitDirectory(split);

    const string Expected =
        "expected annotations/EXPR_Set/Training_Set (2020), EXPR_Set/Train_Set (2021), " +
        "EXPR_Classification_Challenge/Train_Set (2022/2023) or EXPR_Recognition_Challenge/Train_Set (2024), " +
        "each with Validation_Set beside it";

    const string ExpectedAnyTask = Expected +
        "; for the other tasks VA_Set and AU_Set (2020, 2021) or VA_Estimation_Challenge and AU_Detection_Challenge " +
        "(2022-2024) with the same split folders; or the multi-task files training_set_annotations.txt / validation_set_annotations.txt";

    /// <summary>A task folder found during detection, with the editions its name allows.</summary>
    sealed record Candidate(TaskAnnotationFolder Folder, AffWild2Edition[] Possible, bool KnownName)
    {
        public AbawTasks Task => Folder.Task;
    }

    /// <summary>Finds the annotations under <paramref name="root"/>. With <paramref name="edition"/> only
    /// that edition is looked for; without it, the edition is told by folder names (and, for a renamed
    /// folder, by its files' headers). Several editions under one root need an explicit choice. Only the
    /// folders of <paramref name="tasks"/> are looked for; a copy with any of them is accepted. The
    /// multi-task files are used when no task folder is found.</summary>
    public static AffWild2Layout Detect(string root, AffWild2Edition? edition = null, AbawTasks tasks = AbawTasks.All)
    {
        tasks &= AbawTasks.All;
        if (tasks == AbawTasks.None)
            throw new VideoFerException("Aff-Wild2: no task asked for (known: expr, va, au)");
        root = DirectoryLookup.RequireDirectory(root, "the Aff-Wild2 root");
        var found = new List<Candidate>();
        foreach (var folder in CandidateFolders(root).Distinct())
        {
            var candidate = TryFolder(folder, edition, tasks);
            if (candidate != null && !found.Any(f => f.Folder.Folder == candidate.Folder.Folder))
                found.Add(candidate);
        }
        if (found.Count == 0)
            return DetectMultiTask(root, edition, tasks)
                ?? throw new VideoFerException(NothingFound(root, edition, tasks));

        var chosen = ChooseEdition(root, found, edition);
        // One task in several folders of the edition (a 2024 copy keeping the old folder name as well): the usual name wins.
        var folders = AbawTaskNames.Each(AbawTasks.All)
            .Select(task => found.Where(f => f.Task == task).OrderBy(f => FolderRank(f, chosen)).FirstOrDefault())
            .Where(f => f != null)
            .Select(f => f!)
            .ToList();
        var main = folders[0].Folder;
        var datasetRoot = DatasetRootOf(main.Folder);
        var expression = folders.FirstOrDefault(f => f.Task == AbawTasks.Expression)?.Folder;
        var au = folders.FirstOrDefault(f => f.Task == AbawTasks.ActionUnits);
        return new AffWild2Layout(chosen, main.Folder, expression?.TrainDir, expression?.ValidationDir, datasetRoot,
            FindImageRoots(datasetRoot), FindTestList(main.Folder, Path.GetDirectoryName(main.Folder), datasetRoot, root))
        {
            TaskFolders = folders.Select(f => f.Folder).ToArray(),
            RequestedTasks = tasks,
            ActionUnitNames = au != null && (au.KnownName || edition != null) ? chosen.ActionUnits() : null,
        };
    }

    static string NothingFound(string root, AffWild2Edition? edition, AbawTasks tasks)
    {
        if (tasks == AbawTasks.Expression)
            return edition is AffWild2Edition e
                ? $"{root}: no Aff-Wild2 expression annotations of edition {e.Name()} found; {Expected}"
                : $"{root}: no Aff-Wild2 expression annotations found; {Expected}";
        var what = tasks == AbawTasks.All ? "annotations" : $"annotations of the task(s) {AbawTaskNames.Name(tasks)}";
        return edition is AffWild2Edition ed
            ? $"{root}: no Aff-Wild2 {what} of edition {ed.Name()} found; {ExpectedAnyTask}"
            : $"{root}: no Aff-Wild2 {what} found; {ExpectedAnyTask}";
    }

    // Every folder must allow the edition. An expression folder stands for its first edition only (as
    // the expression-only detection always did); VA and AU folders of 2022 and 2024 share one name.
    static AffWild2Edition ChooseEdition(string root, List<Candidate> found, AffWild2Edition? requested)
    {
        if (requested is AffWild2Edition r)
            return r;
        IEnumerable<AffWild2Edition> common = Enum.GetValues<AffWild2Edition>();
        foreach (var f in found)
            common = common.Intersect(f.Task == AbawTasks.Expression ? [f.Possible[0]] : f.Possible);
        var editions = common.ToList();
        if (editions.Count == 0)
            throw new VideoFerException(
                $"{root}: several Aff-Wild2 editions found ({string.Join(", ", found.Select(f => $"{f.Possible[0].Name()} in {f.Folder.Folder}"))}); name one explicitly");
        return editions[0];
    }

    static int FolderRank(Candidate candidate, AffWild2Edition edition)
    {
        var names = FolderNames(candidate.Task, edition);
        int i = names.ToList().FindIndex(n => n.Equals(Path.GetFileName(candidate.Folder.Folder), StringComparison.OrdinalIgnoreCase));
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>The folder names a task's annotations have in an edition, most usual first.</summary>
    public static IReadOnlyList<string> FolderNames(AbawTasks task, AffWild2Edition edition) => task switch
    {
        AbawTasks.Expression => edition.AnnotationFolders(),
        AbawTasks.ValenceArousal => edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? ["VA_Set"] : ["VA_Estimation_Challenge"],
        AbawTasks.ActionUnits => edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? ["AU_Set"] : ["AU_Detection_Challenge"],
        _ => throw new ArgumentException("one task", nameof(task)),
    };

    static IEnumerable<string> CandidateFolders(string root)
    {
        foreach (var parent in Parents(root))
        {
            yield return parent;
            foreach (var name in KnownFolderNames.Concat(KnownOtherTaskFolders))
                if (DirectoryLookup.ChildDirectory(parent, name) is string child)
                    yield return child;
        }
    }

    static IEnumerable<string> Parents(string root)
    {
        yield return root;
        if (DirectoryLookup.ChildDirectory(root, "annotations") is string annotations)
            yield return annotations;
    }

    static readonly string[] KnownFolderNames = ["EXPR_Set", "EXPR_Classification_Challenge", "EXPR_Recognition_Challenge"];
    static readonly string[] KnownOtherTaskFolders = ["VA_Set", "VA_Estimation_Challenge", "AU_Set", "AU_Detection_Challenge"];

    static Candidate? TryFolder(string folder, AffWild2Edition? requested, AbawTasks tasks)
    {
        var training = DirectoryLookup.ChildDirectory(folder, "Training_Set");
        var train = training ?? DirectoryLookup.ChildDirectory(folder, "Train_Set");
        var validation = DirectoryLookup.ChildDirectory(folder, AffWild2Editions.ValidationFolder);
        if (train == null && validation == null)
            return null;

        var name = Path.GetFileName(folder);
        bool twoThousandTwenty = training != null;
        AffWild2Edition[] early = twoThousandTwenty ? [AffWild2Edition.Abaw2020] : [AffWild2Edition.Abaw2021];
        AffWild2Edition[] late = [AffWild2Edition.Abaw2022, AffWild2Edition.Abaw2024];
        var (task, possible, known) = name.ToUpperInvariant() switch
        {
            "EXPR_SET" => (AbawTasks.Expression, early, true),
            "EXPR_CLASSIFICATION_CHALLENGE" => (AbawTasks.Expression, late, true),
            "EXPR_RECOGNITION_CHALLENGE" => (AbawTasks.Expression, [AffWild2Edition.Abaw2024], true),
            "VA_SET" => (AbawTasks.ValenceArousal, early, true),
            "VA_ESTIMATION_CHALLENGE" => (AbawTasks.ValenceArousal, late, true),
            "AU_SET" => (AbawTasks.ActionUnits, early, true),
            "AU_DETECTION_CHALLENGE" => (AbawTasks.ActionUnits, late, true),
            _ => GuessFromContent(training, train ?? validation!),
        };
        if ((task & tasks) == 0)
            return null;
        if (requested is AffWild2Edition r && known)
        {
            // The *_Set folders were used by 2020 and 2021 alike (told apart by Training_Set/Train_Set,
            // which an explicit edition overrides), the *_Challenge ones from 2022 on.
            bool early2 = name.EndsWith("_Set", StringComparison.OrdinalIgnoreCase);
            bool sameFamily = possible.Contains(r) || (early2 && r is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021);
            if (!sameFamily)
                return null;
        }
        return new Candidate(new TaskAnnotationFolder(task, folder, train, validation), possible, known);
    }

    // A folder with an unfamiliar name: its first file's header tells the task. Training_Set only existed in
    // 2020; otherwise an expression header says 7 or 8 classes, an AU header 8 AUs (2020) or 12.
    static (AbawTasks, AffWild2Edition[], bool) GuessFromContent(string? training, string splitDir)
    {
        var first = DirectoryLookup.SafeList(() => Directory.GetFiles(splitDir, "*.txt")).Order(StringComparer.Ordinal).FirstOrDefault();
        var header = first == null ? null : FirstLine(first);
        AffWild2Edition[] unknownLate = [AffWild2Edition.Abaw2021, AffWild2Edition.Abaw2022, AffWild2Edition.Abaw2024];
        if (header != null && ValenceArousalFile.IsHeader(header))
            return (AbawTasks.ValenceArousal, training != null ? [AffWild2Edition.Abaw2020] : unknownLate, false);
        if (header != null && AbawActionUnits.TryParseHeader(header, out var aus, out _))
            return (AbawTasks.ActionUnits, training != null || aus.Count == AbawActionUnits.Abaw2020.Count ? [AffWild2Edition.Abaw2020] : unknownLate, false);
        if (training != null)
            return (AbawTasks.Expression, [AffWild2Edition.Abaw2020], false);
        var classes = header == null ? null : ExpressionHeader.ClassCount(header);
        // A broken first file is reported when it is read; for the guess, assume 7 classes.
        return (AbawTasks.Expression, [classes == 8 ? AffWild2Edition.Abaw2022 : AffWild2Edition.Abaw2021], false);
    }

    static string? FirstLine(string file)
    {
        try
        {
            using var reader = Formats.TextLines.Open(file);
            return Formats.TextLines.Read(reader).FirstOrDefault().Text;
        }
        catch (VideoFerException)
        {
            return null;
        }
    }

    // The multi-task files lie in the root, in annotations/, or in an MTL* folder of either
    // (ABAW3 shipped MTL_Challenge/train_set.txt; ABAW4 training_set_annotations.txt).
    static AffWild2Layout? DetectMultiTask(string root, AffWild2Edition? requested, AbawTasks tasks)
    {
        if (requested is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021)
            return null;
        foreach (var parent in Parents(root))
        {
            var folders = new List<string> { parent };
            folders.AddRange(DirectoryLookup.SafeList(() => Directory.GetDirectories(parent))
                .Where(d => Path.GetFileName(d).StartsWith("MTL", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal));
            foreach (var folder in folders)
            {
                bool mtlFolder = Path.GetFileName(folder).StartsWith("MTL", StringComparison.OrdinalIgnoreCase);
                // The short names are too generic to trust outside an MTL folder.
                var trainNames = mtlFolder ? MultiTaskAnnotationFile.TrainFiles : MultiTaskAnnotationFile.TrainFiles.Take(1);
                var validationNames = mtlFolder ? MultiTaskAnnotationFile.ValidationFiles : MultiTaskAnnotationFile.ValidationFiles.Take(1);
                var trainFile = trainNames.Select(n => DirectoryLookup.ChildFile(folder, n)).FirstOrDefault(f => f != null);
                var validationFile = validationNames.Select(n => DirectoryLookup.ChildFile(folder, n)).FirstOrDefault(f => f != null);
                if (trainFile == null && validationFile == null)
                    continue;
                var datasetRoot = mtlFolder ? DatasetRootOf(folder)
                    : Path.GetFileName(folder).Equals("annotations", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(folder) ?? folder
                    : folder;
                return new AffWild2Layout(requested ?? AffWild2Edition.Abaw2022, folder, null, null, datasetRoot, FindImageRoots(datasetRoot), null)
                {
                    TaskFolders = [],
                    MultiTask = new MultiTaskFiles(folder, trainFile, validationFile),
                    RequestedTasks = tasks,
                    ActionUnitNames = AbawActionUnits.Since2021,
                };
            }
        }
        return null;
    }

    // The folder above a task folder, or above annotations/ when the task folder lies in one.
    static string DatasetRootOf(string taskFolder)
    {
        var parent = Path.GetDirectoryName(taskFolder);
        return parent == null ? taskFolder
            : Path.GetFileName(parent).Equals("annotations", StringComparison.OrdinalIgnoreCase)
                ? Path.GetDirectoryName(parent) ?? parent
                : parent;
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
