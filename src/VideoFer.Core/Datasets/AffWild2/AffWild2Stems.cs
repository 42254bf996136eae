namespace VideoFer.Datasets.AffWild2;

/// <summary>Annotation stems: a video with two people has <c>&lt;video&gt;_left</c> and
/// <c>&lt;video&gt;_right</c> tracks; any other stem is the video's own name.</summary>
public static class AffWild2Stems
{
    /// <summary>The video file name (without extension) a stem belongs to.</summary>
    public static string VideoOf(string stem) =>
        stem.EndsWith("_left", StringComparison.Ordinal) ? stem[..^5]
        : stem.EndsWith("_right", StringComparison.Ordinal) ? stem[..^6]
        : stem;

    /// <summary>"left", "right" or null for a single-person video.</summary>
    public static string? SideOf(string stem) =>
        stem.EndsWith("_left", StringComparison.Ordinal) ? "left"
        : stem.EndsWith("_right", StringComparison.Ordinal) ? "right"
        : null;
}
