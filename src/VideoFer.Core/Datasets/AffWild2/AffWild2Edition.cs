namespace VideoFer.Datasets.AffWild2;

/// <summary>The ABAW challenge editions whose Aff-Wild2 expression annotations differ in folder layout
/// (see docs/datasets.md §1). ABAW5 (2023) shares the 2022 layout.</summary>
public enum AffWild2Edition
{
    /// <summary>FG 2020: annotations/EXPR_Set/{Training_Set,Validation_Set}, 7 classes.</summary>
    Abaw2020,
    /// <summary>ICCV 2021: EXPR_Set/{Train_Set,Validation_Set}, 7 classes.</summary>
    Abaw2021,
    /// <summary>ABAW3 2022 and ABAW5 2023: EXPR_Classification_Challenge/{Train_Set,Validation_Set}, 8 classes.</summary>
    Abaw2022,
    /// <summary>ABAW6 2024: EXPR_Recognition_Challenge/ (some copies EXPR_Classification_Challenge/), 8 classes.</summary>
    Abaw2024,
}

/// <summary>Names, folder names and parsing of <see cref="AffWild2Edition"/>.</summary>
public static class AffWild2Editions
{
    /// <summary>Parses "2020", "2021", "2022", "2023", "2024" (or "abaw2020" ...).</summary>
    public static AffWild2Edition Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("abaw")) t = t[4..];
        return t switch
        {
            "2020" => AffWild2Edition.Abaw2020,
            "2021" => AffWild2Edition.Abaw2021,
            "2022" or "2023" => AffWild2Edition.Abaw2022,
            "2024" => AffWild2Edition.Abaw2024,
            _ => throw new VideoFerException($"unknown Aff-Wild2 edition '{text}': expected 2020, 2021, 2022, 2023 or 2024"),
        };
    }

    /// <summary>The year printed for an edition.</summary>
    public static string Name(this AffWild2Edition edition) => edition switch
    {
        AffWild2Edition.Abaw2020 => "2020",
        AffWild2Edition.Abaw2021 => "2021",
        AffWild2Edition.Abaw2022 => "2022/2023",
        _ => "2024",
    };

    /// <summary>Classes in this edition's annotation headers.</summary>
    public static int ClassCount(this AffWild2Edition edition) =>
        edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? 7 : 8;

    /// <summary>Folder names the edition's annotations live in, most usual first.</summary>
    public static IReadOnlyList<string> AnnotationFolders(this AffWild2Edition edition) => edition switch
    {
        AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 => ["EXPR_Set"],
        AffWild2Edition.Abaw2022 => ["EXPR_Classification_Challenge"],
        _ => ["EXPR_Recognition_Challenge", "EXPR_Classification_Challenge"],
    };

    /// <summary>The training folder name inside the annotation folder.</summary>
    public static string TrainFolder(this AffWild2Edition edition) =>
        edition == AffWild2Edition.Abaw2020 ? "Training_Set" : "Train_Set";

    public const string ValidationFolder = "Validation_Set";

    /// <summary>Test-set list file names, one video stem per line.</summary>
    public static readonly IReadOnlyList<string> TestListFiles =
    [
        "expression_test_set.txt",
        "Expression_Classification_Challenge_test_set_release.txt",
        "Expression_Recognition_Challenge_test_set_release.txt",
    ];
}
