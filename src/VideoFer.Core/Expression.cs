namespace VideoFer;

/// <summary>The expression classes in ABAW order, the order used everywhere in VideoFer.
/// <see cref="Other"/> exists only in the 8-class editions (ABAW 2022 and later).</summary>
public enum Expression
{
    Neutral = 0,
    Anger = 1,
    Disgust = 2,
    Fear = 3,
    Happiness = 4,
    Sadness = 5,
    Surprise = 6,
    Other = 7,
}

/// <summary>Class sets: the 7 basic expressions (ABAW 2020/2021) or those plus Other (2022+).</summary>
public static class ExpressionClasses
{
    public static readonly IReadOnlyList<string> Seven =
        ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise"];

    public static readonly IReadOnlyList<string> Eight =
        ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];

    /// <summary>Class names for a class count of 7 or 8.</summary>
    public static IReadOnlyList<string> Names(int classCount) => classCount switch
    {
        7 => Seven,
        8 => Eight,
        _ => throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "VideoFer knows 7 or 8 expression classes."),
    };
}
