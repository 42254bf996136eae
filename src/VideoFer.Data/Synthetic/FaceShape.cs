namespace VideoFer.Data.Synthetic;

/// <summary>The movable parts of a drawn face, in face units (1 = half the face height; y grows downwards).
/// <para>A rendered expression is a neutral shape plus intensity times a class's action
/// (<see cref="ExpressionActions"/>), so every parameter must blend linearly.</para></summary>
public readonly record struct FaceShape(
    double MouthWidth,      // half width of the mouth
    double MouthSmile,      // corner lift: > 0 smile, < 0 frown
    double MouthOpen,       // gap between the lips at the centre
    double MouthAsym,       // lifts the image-right corner and sinks the left one (one-sided sneer)
    double UpperLipRaise,   // lifts the upper lip in the middle (disgust)
    double Teeth,           // 0..1: how much of the opening shows teeth
    double BrowRaise,       // the whole brow moves up
    double BrowSlant,       // inner end up (> 0, sad/fear) or down (< 0, angry)
    double EyeOpen,         // eye height factor; 1 = relaxed
    double NoseWrinkle,     // 0..1 wrinkles across the nose bridge
    double Furrow,          // 0..1 vertical lines between the brows
    double CheekRaise)      // 0..1 nasolabial folds of a real smile
{
    /// <summary>A relaxed face with average proportions.</summary>
    public static readonly FaceShape Neutral = new(
        MouthWidth: 0.30, MouthSmile: 0, MouthOpen: 0, MouthAsym: 0, UpperLipRaise: 0, Teeth: 0,
        BrowRaise: 0, BrowSlant: 0, EyeOpen: 1, NoseWrinkle: 0, Furrow: 0, CheekRaise: 0);

    /// <summary>An all-zero change, the action of Neutral.</summary>
    public static readonly FaceShape Zero = default;

    public static FaceShape operator +(FaceShape a, FaceShape b) => new(
        a.MouthWidth + b.MouthWidth, a.MouthSmile + b.MouthSmile, a.MouthOpen + b.MouthOpen,
        a.MouthAsym + b.MouthAsym, a.UpperLipRaise + b.UpperLipRaise, a.Teeth + b.Teeth,
        a.BrowRaise + b.BrowRaise, a.BrowSlant + b.BrowSlant, a.EyeOpen + b.EyeOpen,
        a.NoseWrinkle + b.NoseWrinkle, a.Furrow + b.Furrow, a.CheekRaise + b.CheekRaise);

    public static FaceShape operator *(double k, FaceShape a) => new(
        k * a.MouthWidth, k * a.MouthSmile, k * a.MouthOpen, k * a.MouthAsym, k * a.UpperLipRaise, k * a.Teeth,
        k * a.BrowRaise, k * a.BrowSlant, k * a.EyeOpen, k * a.NoseWrinkle, k * a.Furrow, k * a.CheekRaise);

    /// <summary>Clamps parameters to values that still draw a plausible face.</summary>
    public FaceShape Clamped() => this with
    {
        MouthWidth = Math.Clamp(MouthWidth, 0.12, 0.45),
        MouthOpen = Math.Max(0, MouthOpen),
        Teeth = Math.Clamp(Teeth, 0, 1),
        EyeOpen = Math.Clamp(EyeOpen, 0, 2.2),
        NoseWrinkle = Math.Clamp(NoseWrinkle, 0, 1),
        Furrow = Math.Clamp(Furrow, 0, 1),
        CheekRaise = Math.Clamp(CheekRaise, 0, 1),
    };
}
