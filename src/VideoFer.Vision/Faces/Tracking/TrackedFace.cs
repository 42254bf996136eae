namespace VideoFer.Vision.Faces.Tracking;

/// <summary>A detection with the id of the track it belongs to (1-based, unique within one video).</summary>
public readonly record struct TrackedFace(int TrackId, FaceDetection Detection);
