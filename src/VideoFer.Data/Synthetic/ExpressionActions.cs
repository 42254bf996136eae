namespace VideoFer.Data.Synthetic;

/// <summary>What each expression does to a neutral face at full intensity, loosely after FACS:
/// each class gets a distinct combination of mouth, brow and eye movements so that apex frames
/// are clearly separable, while low-intensity frames stay close to neutral (and so ambiguous).</summary>
public static class ExpressionActions
{
    /// <summary>The change to a neutral <see cref="FaceShape"/> at intensity 1 for an ABAW class (0..6).</summary>
    public static FaceShape For(Expression expression) => expression switch
    {
        Expression.Neutral => FaceShape.Zero,
        // Lip corner puller + cheek raiser (AU12, AU6): big smile, squinting eyes, teeth.
        Expression.Happiness => FaceShape.Zero with
        {
            MouthSmile = 0.17, MouthOpen = 0.09, MouthWidth = 0.07, Teeth = 1, EyeOpen = -0.35,
            CheekRaise = 1, BrowRaise = 0.02,
        },
        // Inner brow raiser + lip corner depressor (AU1, AU15): frown, slanted brows, heavy lids.
        Expression.Sadness => FaceShape.Zero with
        {
            MouthSmile = -0.14, MouthWidth = -0.03, BrowSlant = 0.14, BrowRaise = 0.01, EyeOpen = -0.3,
        },
        // Brow lowerer + lid tightener + lip presser (AU4, AU7, AU24): V brows, narrow eyes, tight mouth.
        Expression.Anger => FaceShape.Zero with
        {
            BrowRaise = -0.09, BrowSlant = -0.16, EyeOpen = -0.45, Furrow = 1, MouthSmile = -0.06,
            MouthWidth = -0.10,
        },
        // Brow raisers + upper lid raiser + jaw drop (AU1, AU2, AU5, AU26): high brows, round eyes, O mouth.
        Expression.Surprise => FaceShape.Zero with
        {
            BrowRaise = 0.15, BrowSlant = 0.02, EyeOpen = 0.65, MouthOpen = 0.30, MouthWidth = -0.13,
        },
        // Brows raised and drawn together, wide eyes, lips stretched (AU1, AU2, AU4, AU5, AU20).
        Expression.Fear => FaceShape.Zero with
        {
            BrowRaise = 0.09, BrowSlant = 0.12, EyeOpen = 0.5, MouthOpen = 0.12, MouthWidth = 0.07,
            MouthSmile = -0.05, Teeth = 0.6,
        },
        // Nose wrinkler + upper lip raiser (AU9, AU10): wrinkled nose, one-sided raised lip.
        Expression.Disgust => FaceShape.Zero with
        {
            BrowRaise = -0.05, BrowSlant = -0.05, EyeOpen = -0.3, NoseWrinkle = 1, MouthAsym = 0.10,
            MouthSmile = -0.05, MouthOpen = 0.04, UpperLipRaise = 0.05, Teeth = 0.5,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(expression), expression, "The synthetic faces draw the 7 basic expressions."),
    };

    /// <summary>Contempt (AffectNet code 7): a one-sided smile, used only for AffectNet-style stills.</summary>
    public static readonly FaceShape Contempt = FaceShape.Zero with { MouthAsym = 0.09, MouthSmile = 0.03 };
}
