namespace VideoFer.Data.Synthetic;

/// <summary>AffectNet's expression codes (0 Neutral, 1 Happy, 2 Sad, 3 Surprise, 4 Fear, 5 Disgust, 6 Anger,
/// 7 Contempt, 8 None, 9 Uncertain, 10 No-Face) and their relation to the ABAW order.</summary>
public static class AffectNetCodes
{
    public const int Contempt = 7, None = 8, Uncertain = 9, NoFace = 10;

    /// <summary>AffectNet code 0..6 to ABAW class, as in docs/datasets.md: [0,4,5,6,3,2,1].</summary>
    public static readonly IReadOnlyList<int> ToAbaw = [0, 4, 5, 6, 3, 2, 1];

    /// <summary>ABAW class 0..6 to AffectNet code: the inverse of <see cref="ToAbaw"/>.</summary>
    public static int FromAbaw(Expression e) => e switch
    {
        Expression.Neutral => 0,
        Expression.Happiness => 1,
        Expression.Sadness => 2,
        Expression.Surprise => 3,
        Expression.Fear => 4,
        Expression.Disgust => 5,
        Expression.Anger => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "AffectNet has no code for this class."),
    };
}
