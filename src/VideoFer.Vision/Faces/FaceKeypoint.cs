namespace VideoFer.Vision.Faces;

/// <summary>The six BlazeFace keypoints, in the model's output order. "Right"/"left" are the
/// person's own sides, so on a face looking at the camera <see cref="RightEye"/> is on the image's left.</summary>
public enum FaceKeypoint
{
    RightEye = 0,
    LeftEye = 1,
    NoseTip = 2,
    MouthCenter = 3,
    RightEarTragion = 4,
    LeftEarTragion = 5,
}
