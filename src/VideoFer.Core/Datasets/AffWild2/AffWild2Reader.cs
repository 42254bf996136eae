namespace VideoFer.Datasets.AffWild2;

/// <summary>One annotated face track: an annotation file <c>&lt;stem&gt;.txt</c> in a split folder.</summary>
public sealed record AffWild2Track(string Split, string Stem, string AnnotationPath)
{
    /// <summary>The video this track comes from (the stem without <c>_left</c>/<c>_right</c>).</summary>
    public string VideoName => AffWild2Stems.VideoOf(Stem);
}

/// <summary>Reads Aff-Wild2 expression annotations of any edition together with the
/// <c>cropped_aligned</c> images. Everything is lazy: files are opened as the enumeration reaches
/// them and no image is read.</summary>
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
    public static AffWild2Reader Open(string root, AffWild2Edition? edition = null, IReadOnlyList<string>? imageRoots = null, ReadOptions? options = null) =>
        new(AffWild2Layout.Detect(root, edition), imageRoots, options);

    public AffWild2Layout Layout { get; }
    public CroppedAlignedImages Images { get; }

    /// <summary>False when no cropped_aligned root was given or found: every frame then has no image.</summary>
    public bool HasImageRoots => Images.Roots.Count > 0;

    /// <summary>The tracks of a split, ordered by stem (ordinal), so runs are reproducible.</summary>
    public IEnumerable<AffWild2Track> Tracks(string split)
    {
        var dir = Layout.SplitDirectory(split);
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

    /// <summary>Every track of a split as a <see cref="VideoTrack"/>.</summary>
    public IReadOnlyList<VideoTrack> LoadSplit(string split) => Tracks(split).Select(LoadTrack).ToList();

    /// <summary>The test-set stems from the list file, or an empty list if this copy has none.</summary>
    public IReadOnlyList<string> TestStems() =>
        Layout.TestListFile is string list ? TestSetList.Read(list, _options) : [];

    // In lenient mode a file whose header is broken is skipped as a whole, with a warning.
    ExpressionLabelFile? OpenLabels(AffWild2Track track)
    {
        try
        {
            return ExpressionLabelFile.Open(track.AnnotationPath, _options);
        }
        catch (VideoFerException e) when (_options.Lenient)
        {
            _options.Warning?.Invoke($"{e.Message}; file skipped");
            return null;
        }
    }
}
