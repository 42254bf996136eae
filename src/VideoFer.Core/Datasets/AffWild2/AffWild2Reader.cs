namespace VideoFer.Datasets.AffWild2;

/// <summary>One annotated face track: an annotation file <c>&lt;stem&gt;.txt</c> in a split folder.</summary>
public sealed record AffWild2Track(string Split, string Stem, string AnnotationPath)
{
    /// <summary>The video this track comes from (the stem without <c>_left</c>/<c>_right</c>).</summary>
    public string VideoName => AffWild2Stems.VideoOf(Stem);
}

/// <summary>The annotation files of one stem in a split, one per task the stem has a file for.</summary>
public sealed record AbawTrackFiles(string Split, string Stem, string? Expression, string? ValenceArousal, string? ActionUnits)
{
    /// <summary>The video this track comes from (the stem without <c>_left</c>/<c>_right</c>).</summary>
    public string VideoName => AffWild2Stems.VideoOf(Stem);

    public AbawTasks Tasks =>
        (Expression != null ? AbawTasks.Expression : AbawTasks.None)
        | (ValenceArousal != null ? AbawTasks.ValenceArousal : AbawTasks.None)
        | (ActionUnits != null ? AbawTasks.ActionUnits : AbawTasks.None);
}

/// <summary>Reads Aff-Wild2 annotations of any edition (expression, valence-arousal and action units,
/// whichever the copy has, or the 2022 multi-task files) together with the <c>cropped_aligned</c> images.
/// <see cref="Tracks(string)"/> and <see cref="Frames(string)"/> are the expression annotations, lazily:
/// files are opened as the enumeration reaches them and no image is read. <see cref="LoadSplit"/> reads
/// every task into compact <see cref="VideoTrack"/>s.</summary>
public sealed class AffWild2Reader
{
    readonly ReadOptions _options;

    /// <param name="imageRoots">The cropped_aligned roots to search; null uses those found beside the
    /// annotations (<see cref="AffWild2Layout.ImageRoots"/>); empty means no images are known.</param>
    public AffWild2Reader(AffWild2Layout layout, IReadOnlyList<string>? imageRoots = null, ReadOptions? options = null)
    {
        Layout = layout;
        Images = new CroppedAlignedImages(imageRoots ?? layout.ImageRoots);
        _options = options ?? ReadOptions.Strict;
    }

    /// <summary>Detects the layout under <paramref name="root"/> (see <see cref="AffWild2Layout.Detect"/>) and opens it.</summary>
    /// <param name="tasks">The tasks to read (e.g. only <see cref="AbawTasks.ValenceArousal"/>); the copy must
    /// have annotations for at least one of them. Others are ignored even where present.</param>
    public static AffWild2Reader Open(string root, AffWild2Edition? edition = null, IReadOnlyList<string>? imageRoots = null,
        ReadOptions? options = null, AbawTasks tasks = AbawTasks.All) =>
        new(AffWild2Layout.Detect(root, edition, tasks), imageRoots, options);

    public AffWild2Layout Layout { get; }

    /// <summary>The tasks this copy has annotations for (within those asked for).</summary>
    public AbawTasks Tasks => Layout.Tasks;
    public CroppedAlignedImages Images { get; }

    /// <summary>False when no cropped_aligned root was given or found: every frame then has no image.</summary>
    public bool HasImageRoots => Images.Roots.Count > 0;

    /// <summary>The expression tracks of a split, ordered by stem (ordinal), so runs are reproducible.
    /// Empty when the copy has the split only for other tasks.</summary>
    public IEnumerable<AffWild2Track> Tracks(string split)
    {
        if (!Layout.Splits.Contains(split))
            Layout.SplitDirectory(split); // throws the usual message
        if (Layout.SplitDirectory(AbawTasks.Expression, split) is not string dir)
            return [];
        return DirectoryLookup.SafeList(() => Directory.GetFiles(dir, "*.txt"))
            .Select(f => new AffWild2Track(split, Path.GetFileNameWithoutExtension(f), f))
            .OrderBy(t => t.Stem, StringComparer.Ordinal);
    }

    /// <summary>Every frame of every track of a split.</summary>
    public IEnumerable<FrameItem> Frames(string split) => Tracks(split).SelectMany(Frames);

    /// <summary>The frames of one track in order: frame k is data line k of its annotation file; its
    /// image is <c>&lt;root&gt;/&lt;stem&gt;/{k:D5}.jpg</c> in the first root that has it, else null.</summary>
    public IEnumerable<FrameItem> Frames(AffWild2Track track)
    {
        using var file = OpenLabels(track);
        if (file == null)
            yield break;
        var images = Images.For(track.Stem);
        foreach (var (frame, label) in file.Labels())
            yield return new FrameItem(DatasetNames.AffWild2, track.Split, track.Stem, frame, images.PathOf(frame), label);
    }

    /// <summary>Reads one track's labels and image availability into a compact <see cref="VideoTrack"/>.
    /// Frames skipped in lenient mode get label -1.</summary>
    public VideoTrack LoadTrack(AffWild2Track track)
    {
        int[] labels;
        using (var file = OpenLabels(track))
            labels = file?.ReadAll() ?? [];
        var images = Images.For(track.Stem);
        var hasImage = new bool[labels.Length];
        for (int f = 1; f <= labels.Length; f++)
            hasImage[f - 1] = images.Has(f);
        return new VideoTrack(DatasetNames.AffWild2, track.Split, track.Stem, labels, hasImage, images.PathOf);
    }

    /// <summary>Every stem of a split that has a file in any task folder, with the files it has, ordered
    /// by stem (ordinal). Empty for a multi-task copy (its stems come from <see cref="LoadSplit"/>).</summary>
    public IEnumerable<AbawTrackFiles> TaskTracks(string split)
    {
        if (!Layout.Splits.Contains(split))
            Layout.SplitDirectory(split); // throws the usual message
        var byTask = new Dictionary<AbawTasks, Dictionary<string, string>>();
        foreach (var task in AbawTaskNames.Each(Layout.Tasks))
            if (Layout.SplitDirectory(task, split) is string dir)
                byTask[task] = DirectoryLookup.SafeList(() => Directory.GetFiles(dir, "*.txt"))
                    .ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        string? FileOf(AbawTasks task, string stem) =>
            byTask.TryGetValue(task, out var files) && files.TryGetValue(stem, out var file) ? file : null;
        return byTask.Values.SelectMany(files => files.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(stem => new AbawTrackFiles(split, stem, FileOf(AbawTasks.Expression, stem),
                FileOf(AbawTasks.ValenceArousal, stem), FileOf(AbawTasks.ActionUnits, stem)))
            .ToList();
    }

    /// <summary>One stem's labels of every task it has a file for, and its image availability. The frame
    /// count is that of its longest file; shorter files are padded as unannotated (expression -1,
    /// valence-arousal NaN, AUs -1). Expression labels are -1 everywhere without an expression file;
    /// <see cref="VideoTrack.ValenceArousal"/> / <see cref="VideoTrack.ActionUnits"/> are set only when
    /// the stem has that task's file. Frames skipped in lenient mode are unannotated.</summary>
    public VideoTrack LoadTrack(AbawTrackFiles files)
    {
        int[] labels = [];
        if (files.Expression != null)
            using (var file = OpenOrSkip(() => ExpressionLabelFile.Open(files.Expression, _options)))
                labels = file?.ReadAll() ?? [];
        ValenceArousalLabels? va = null;
        if (files.ValenceArousal != null)
            using (var file = OpenOrSkip(() => ValenceArousalFile.Open(files.ValenceArousal, _options)))
                va = file?.ReadAll();
        ActionUnitLabels? aus = null;
        if (files.ActionUnits != null)
            using (var file = OpenOrSkip(() => ActionUnitFile.Open(files.ActionUnits, _options, Layout.ActionUnitNames,
                       $"the {Layout.Edition.Name()} AU list")))
                aus = file?.ReadAll();
        return Assemble(files.Split, files.Stem, labels, va, aus);
    }

    /// <summary>Every stem of a split as a <see cref="VideoTrack"/> carrying each task's labels the copy
    /// has (see <see cref="LoadTrack(AbawTrackFiles)"/>), ordered by stem. For an expression-only copy this
    /// is one track per expression file, exactly as <see cref="LoadTrack(AffWild2Track)"/> reads it. For
    /// the multi-task files, one track per stem listed, frames numbered by their image names; a task's
    /// labels are set when any frame of the stem has that task annotated.</summary>
    public IReadOnlyList<VideoTrack> LoadSplit(string split)
    {
        if (Layout.MultiTask is MultiTaskFiles mtl)
            return LoadMultiTaskSplit(mtl, split);
        return TaskTracks(split).Select(LoadTrack).ToList();
    }

    IReadOnlyList<VideoTrack> LoadMultiTaskSplit(MultiTaskFiles mtl, string split)
    {
        var path = mtl.File(split)
            ?? throw new VideoFerException($"{mtl.Folder}: this Aff-Wild2 copy has no '{split}' annotations (it has: {string.Join(", ", Layout.Splits)})");
        IReadOnlyList<MultiTaskStem> stems;
        try
        {
            stems = MultiTaskAnnotationFile.Read(path, _options, Layout.ActionUnitNames);
        }
        catch (VideoFerException e) when (_options.Lenient)
        {
            _options.Warning?.Invoke($"{e.Message}; file skipped");
            return [];
        }
        var tasks = Layout.Tasks;
        return stems.Select(s => Assemble(split, s.Stem,
                tasks.HasFlag(AbawTasks.Expression) ? s.Expressions : [],
                tasks.HasFlag(AbawTasks.ValenceArousal) && AnyFrame(s.FrameCount, s.ValenceArousal.IsAnnotated) ? s.ValenceArousal : null,
                tasks.HasFlag(AbawTasks.ActionUnits) && AnyFrame(s.FrameCount, f => Enumerable.Range(0, s.ActionUnits.Count).Any(j => s.ActionUnits.Value(f, j) >= 0)) ? s.ActionUnits : null,
                frameCount: s.FrameCount))
            .ToList();
    }

    static bool AnyFrame(int count, Func<int, bool> test)
    {
        for (int f = 1; f <= count; f++)
            if (test(f)) return true;
        return false;
    }

    // Pads every task to the longest and looks up the images.
    VideoTrack Assemble(string split, string stem, int[] labels, ValenceArousalLabels? va, ActionUnitLabels? aus, int frameCount = 0)
    {
        int count = Math.Max(frameCount, Math.Max(labels.Length, Math.Max(va?.FrameCount ?? 0, aus?.FrameCount ?? 0)));
        if (labels.Length < count)
            labels = [.. labels, .. Enumerable.Repeat(-1, count - labels.Length)];
        if (va != null && va.FrameCount < count)
            va = new ValenceArousalLabels(
                Enumerable.Range(1, count).Select(va.Valence).ToArray(),
                Enumerable.Range(1, count).Select(va.Arousal).ToArray());
        if (aus != null && aus.FrameCount < count)
        {
            var values = new sbyte[count * aus.Count];
            for (int f = 1; f <= count; f++)
                for (int j = 0; j < aus.Count; j++)
                    values[(f - 1) * aus.Count + j] = (sbyte)aus.Value(f, j);
            aus = new ActionUnitLabels(aus.Names, values);
        }
        var images = Images.For(stem);
        var hasImage = new bool[count];
        for (int f = 1; f <= count; f++)
            hasImage[f - 1] = images.Has(f);
        return new VideoTrack(DatasetNames.AffWild2, split, stem, labels, hasImage, images.PathOf)
        {
            ValenceArousal = va,
            ActionUnits = aus,
        };
    }

    /// <summary>The test-set stems from the list file, or an empty list if this copy has none.</summary>
    public IReadOnlyList<string> TestStems() =>
        Layout.TestListFile is string list ? TestSetList.Read(list, _options) : [];

    ExpressionLabelFile? OpenLabels(AffWild2Track track) =>
        OpenOrSkip(() => ExpressionLabelFile.Open(track.AnnotationPath, _options));

    // In lenient mode a file whose header is broken is skipped as a whole, with a warning.
    T? OpenOrSkip<T>(Func<T> open) where T : class
    {
        try
        {
            return open();
        }
        catch (VideoFerException e) when (_options.Lenient)
        {
            _options.Warning?.Invoke($"{e.Message}; file skipped");
            return null;
        }
    }
}
