namespace VideoFer.Statistics;

/// <summary>Counts for one split of one dataset. Video-only counts are null for image datasets;
/// image counts are null when no image folder was available to check.</summary>
public sealed class SplitStatistics
{
    public SplitStatistics(string dataset, string split, int classCount)
    {
        Dataset = dataset;
        Split = split;
        ClassCount = classCount;
        ClassCounts = new long[classCount];
    }

    public string Dataset { get; }
    public string Split { get; }
    public int ClassCount { get; }

    /// <summary>Frames (or images) per ABAW class.</summary>
    public long[] ClassCounts { get; }

    /// <summary>All frames or images listed, ignored and dropped ones included.</summary>
    public long Frames { get; internal set; }

    /// <summary>Video tracks (Aff-Wild2 only).</summary>
    public int? Videos { get; internal set; }

    /// <summary>Frames labelled -1 (Aff-Wild2), or images whose code the class set drops (AffectNet 7..10).</summary>
    public long Ignored { get; internal set; }

    /// <summary>Frames or images without an image file; null when images were not checked.</summary>
    public long? MissingImages { get; internal set; }

    /// <summary>Frames with a valid label but no image (Aff-Wild2; null when images were not checked).</summary>
    public long? LabelledWithoutImage { get; internal set; }

    /// <summary>Training windows of the clip length (Aff-Wild2): every frame with an image and a valid label.
    /// When images were not checked, only labels are considered.</summary>
    public long? ValidWindows { get; internal set; }

    /// <summary>Videos without any valid window (skipped by the training sampler).</summary>
    public int? VideosWithoutWindow { get; internal set; }

    internal void Count(int label)
    {
        Frames++;
        if (label >= 0 && label < ClassCount)
            ClassCounts[label]++;
        else
            Ignored++;
    }
}
