namespace VideoFer.Vision.Prepare;

/// <summary>Progress within one video: <paramref name="Frame"/> frames done of about
/// <paramref name="FrameCount"/> (the container's count; 0 if unknown), <paramref name="Faces"/> crops so far.</summary>
public readonly record struct PrepareProgress(string Stem, int Frame, int FrameCount, int Faces);
