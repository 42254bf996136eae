namespace VideoFer.Datasets.AffectNet;

/// <summary>The two AffectNet distributions (docs/datasets.md §2).</summary>
public enum AffectNetRelease
{
    /// <summary>Manually_Annotated_file_lists/*.csv with full images and face boxes; codes 0..10.</summary>
    Original,
    /// <summary>The 2021 "8 labels" release: {train,val}_set/images/&lt;id&gt;.jpg and per-image .npy annotations; codes 0..7.</summary>
    EightLabels,
}
