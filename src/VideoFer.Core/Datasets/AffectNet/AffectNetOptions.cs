namespace VideoFer.Datasets.AffectNet;

/// <summary>How AffectNet codes become ABAW labels, and how strictly lists are read.</summary>
public sealed record AffectNetOptions
{
    /// <summary>7 (ABAW 2020/2021) or 8 (with Other).</summary>
    public int ClassCount { get; init; } = 7;

    /// <summary>With 8 classes, label Contempt as Other instead of dropping it (an inferred mapping; off by default).</summary>
    public bool ContemptAsOther { get; init; }

    /// <summary>Look up each image on disk; a missing one gets a null <see cref="FrameItem.ImagePath"/>.</summary>
    public bool CheckImages { get; init; } = true;

    public ReadOptions Read { get; init; } = ReadOptions.Strict;
}
