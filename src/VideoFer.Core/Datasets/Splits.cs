namespace VideoFer.Datasets;

/// <summary>The split names every reader uses in <see cref="FrameItem.Split"/>, whatever the dataset calls them.</summary>
public static class Splits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
}

/// <summary>The dataset names used in <see cref="FrameItem.Dataset"/>.</summary>
public static class DatasetNames
{
    public const string AffWild2 = "affwild2";
    public const string AffectNet = "affectnet";
    public const string RafDb = "rafdb";
}
