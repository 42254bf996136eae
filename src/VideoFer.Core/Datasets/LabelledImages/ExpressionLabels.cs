namespace VideoFer.Datasets.LabelledImages;

/// <summary>Expression label names as face-image datasets write them (FER2013, RAF-DB and AffectNet exports,
/// folder names, crowd-sourced CSVs), mapped to VideoFer's ABAW class names.</summary>
public static class ExpressionLabels
{
    // Every spelling met in the exports, lower case; values are ABAW names, plus Contempt (AffectNet's 8th
    // expression, in no ABAW class set).
    static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = "Neutral", ["neutrality"] = "Neutral", ["calm"] = "Neutral",
        ["anger"] = "Anger", ["angry"] = "Anger",
        ["disgust"] = "Disgust", ["disgusted"] = "Disgust",
        ["fear"] = "Fear", ["fearful"] = "Fear", ["afraid"] = "Fear", ["scared"] = "Fear",
        ["happiness"] = "Happiness", ["happy"] = "Happiness", ["joy"] = "Happiness",
        ["sadness"] = "Sadness", ["sad"] = "Sadness",
        ["surprise"] = "Surprise", ["surprised"] = "Surprise",
        ["contempt"] = "Contempt",
        ["other"] = "Other",
    };

    /// <summary>The ABAW name (or Contempt) of <paramref name="label"/>, or null for a name no dataset uses.</summary>
    public static string? Canonical(string label) => Names.GetValueOrDefault(label.Trim());

    /// <summary>Every accepted spelling, for messages.</summary>
    public static IEnumerable<string> Accepted => Names.Keys;
}
