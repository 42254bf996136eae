namespace VideoFer.Data.Synthetic;

/// <summary>The ground truth behind one synthetic frame: what the annotation file says
/// (<see cref="Label"/>, -1 = ignore), what the face really shows (<see cref="Shown"/> at
/// <see cref="Intensity"/>), whether an image file exists, and what makes the frame hard.
/// <see cref="Expressed"/> is the face before a blink closes the eyes (expression, talking and jitter on
/// the resting face): valence, arousal and AUs are read from it, so that blinks do not count as AU7.</summary>
public sealed record SyntheticFrame(
    int Frame,              // 1-based video frame number, as in the annotation file
    int Label,
    Expression Shown,
    double Intensity,
    bool HasImage,
    bool Occluded,
    bool Blink,
    FrameScene Scene,
    FaceShape Expressed);
