namespace VideoFer.Datasets;

/// <summary>One face track held compactly in memory: a label and an image-or-not per frame, the
/// image paths rebuilt on demand. This is what clip sampling and evaluation work on; a whole
/// Aff-Wild2 training split fits in a few tens of megabytes this way.</summary>
public sealed class VideoTrack
{
    readonly int[] _labels;
    readonly bool[] _hasImage;
    readonly Func<int, string?> _imagePath;

    /// <param name="labels">Label of frame k at index k - 1 (ABAW order, -1 = ignore).</param>
    /// <param name="hasImage">Whether frame k has an image, at index k - 1; same length as labels.</param>
    /// <param name="imagePath">The image path of a 1-based frame that has one.</param>
    public VideoTrack(string dataset, string split, string stem, int[] labels, bool[] hasImage, Func<int, string?> imagePath)
    {
        if (labels.Length != hasImage.Length)
            throw new ArgumentException("labels and hasImage must have one entry per frame", nameof(hasImage));
        Dataset = dataset;
        Split = split;
        Stem = stem;
        _labels = labels;
        _hasImage = hasImage;
        _imagePath = imagePath;
    }

    public string Dataset { get; }
    public string Split { get; }
    public string Stem { get; }

    /// <summary>Frames 1..FrameCount.</summary>
    public int FrameCount => _labels.Length;

    public int Label(int frame) => _labels[frame - 1];
    public bool HasImage(int frame) => _hasImage[frame - 1];
    public string? ImagePath(int frame) => _hasImage[frame - 1] ? _imagePath(frame) : null;

    /// <summary>A frame usable for training: it has an image and a label other than -1.</summary>
    public bool IsValid(int frame) => _hasImage[frame - 1] && _labels[frame - 1] >= 0;

    /// <summary>Frames with an image, as a mask indexed by frame - 1.</summary>
    public IReadOnlyList<bool> ImageMask => _hasImage;

    /// <summary>Labels indexed by frame - 1.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>Valence-arousal annotations of this track, if it has any (the VA task's files).</summary>
    public ValenceArousalLabels? ValenceArousal { get; init; }

    /// <summary>Action unit annotations of this track, if it has any (the AU task's files).</summary>
    public ActionUnitLabels? ActionUnits { get; init; }

    /// <summary>The tasks this track carries labels for (expression when any frame has a label other than -1).</summary>
    public AbawTasks Tasks =>
        (_labels.Any(l => l >= 0) ? AbawTasks.Expression : AbawTasks.None)
        | (ValenceArousal != null ? AbawTasks.ValenceArousal : AbawTasks.None)
        | (ActionUnits != null ? AbawTasks.ActionUnits : AbawTasks.None);

    /// <summary>A frame usable for training some task: it has an image and a label of at least one
    /// task (expression other than -1, VA in [-1, 1], or every AU 0/1).</summary>
    public bool HasAnyLabel(int frame) => HasLabelFor(frame, AbawTasks.All);

    /// <summary>The frame has an image and a label of at least one of <paramref name="tasks"/>; for the
    /// expression alone this is <see cref="IsValid"/>.</summary>
    public bool HasLabelFor(int frame, AbawTasks tasks) =>
        _hasImage[frame - 1] && (
            (tasks.HasFlag(AbawTasks.Expression) && _labels[frame - 1] >= 0)
            || (tasks.HasFlag(AbawTasks.ValenceArousal) && (ValenceArousal?.IsAnnotated(frame) ?? false))
            || (tasks.HasFlag(AbawTasks.ActionUnits) && (ActionUnits?.IsAnnotated(frame) ?? false)));

    /// <summary>Every frame as a <see cref="FrameItem"/>, in order.</summary>
    public IEnumerable<FrameItem> Items()
    {
        for (int f = 1; f <= FrameCount; f++)
            yield return new FrameItem(Dataset, Split, Stem, f, ImagePath(f), Label(f));
    }

    /// <summary>Builds a track from the items of one stem (any order). Frames between 1 and the
    /// highest frame that have no item get label -1 and no image.</summary>
    public static VideoTrack FromItems(IEnumerable<FrameItem> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
            throw new ArgumentException("a track needs at least one frame", nameof(items));
        var first = list[0];
        if (list.Any(i => i.Stem != first.Stem || i.Frame < 1))
            throw new ArgumentException("items must be frames (>= 1) of one stem", nameof(items));
        int count = list.Max(i => i.Frame);
        var labels = Enumerable.Repeat(-1, count).ToArray();
        var hasImage = new bool[count];
        var paths = new string?[count];
        foreach (var item in list)
        {
            labels[item.Frame - 1] = item.Label;
            hasImage[item.Frame - 1] = item.ImagePath != null;
            paths[item.Frame - 1] = item.ImagePath;
        }
        return new VideoTrack(first.Dataset, first.Split, first.Stem, labels, hasImage, f => paths[f - 1]);
    }
}
