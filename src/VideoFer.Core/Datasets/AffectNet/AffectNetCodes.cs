namespace VideoFer.Datasets.AffectNet;

/// <summary>AffectNet expression codes (0 Neutral, 1 Happy, 2 Sad, 3 Surprise, 4 Fear, 5 Disgust,
/// 6 Anger, 7 Contempt, 8 None, 9 Uncertain, 10 No-Face) and their ABAW-order labels.</summary>
public static class AffectNetCodes
{
    public const int Contempt = 7;
    public const int MaxCode = 10;

    // AffectNet code -> ABAW class for the seven basic expressions (docs/datasets.md §2).
    static readonly int[] BasicToAbaw = [0, 4, 5, 6, 3, 2, 1];

    /// <summary>The ABAW label of a code, or -1 if the code is dropped: 8..10 always, Contempt (7) unless
    /// <paramref name="classCount"/> is 8 and <paramref name="contemptAsOther"/> maps it to Other.</summary>
    public static int ToAbaw(int code, int classCount = 7, bool contemptAsOther = false)
    {
        if (code is < 0 or > MaxCode)
            throw new ArgumentOutOfRangeException(nameof(code), code, "AffectNet expression codes are 0..10");
        if (classCount is not (7 or 8))
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "7 or 8 classes");
        if (code < BasicToAbaw.Length)
            return BasicToAbaw[code];
        if (code == Contempt && classCount == 8 && contemptAsOther)
            return (int)Expression.Other;
        return -1;
    }
}
