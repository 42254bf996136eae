namespace VideoFer.Datasets.RafDb;

/// <summary>RAF-DB basic-emotion labels (1 Surprise, 2 Fear, 3 Disgust, 4 Happiness, 5 Sadness,
/// 6 Anger, 7 Neutral) and their ABAW-order classes.</summary>
public static class RafDbCodes
{
    // index = RAF-DB label - 1
    static readonly int[] ToAbawTable = [6, 3, 2, 4, 5, 1, 0];

    public static int ToAbaw(int code) =>
        code is >= 1 and <= 7 ? ToAbawTable[code - 1]
        : throw new ArgumentOutOfRangeException(nameof(code), code, "RAF-DB basic labels are 1..7");
}
