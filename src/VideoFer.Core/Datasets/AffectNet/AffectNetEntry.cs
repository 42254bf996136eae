namespace VideoFer.Datasets.AffectNet;

/// <summary>A face box in image pixels: <see cref="X"/> = left, <see cref="Y"/> = top (the common
/// reading of face_x/face_y; one public loader swaps them).</summary>
public sealed record FaceBox(double X, double Y, double Width, double Height);

/// <summary>One AffectNet image with everything its list gives.</summary>
/// <param name="Item">The image as a frame item; <c>Label</c> is the ABAW label, or -1 for a dropped code.</param>
/// <param name="Code">The original AffectNet expression code 0..10.</param>
/// <param name="Box">The face box (original release only; the newer release ships cropped faces).</param>
/// <param name="Valence">In [-1, 1]; -2 for Uncertain/No-Face; NaN when the copy lacks it.</param>
/// <param name="Arousal">Like <paramref name="Valence"/>.</param>
/// <param name="Line">The list line (CSV release) or 0.</param>
public sealed record AffectNetEntry(FrameItem Item, int Code, FaceBox? Box, double Valence, double Arousal, int Line = 0);
