namespace VideoFer.Vision.Faces.Detection;

/// <summary>The faces a search found in one image, best score first, and what it cost: the regions the
/// networks evaluated (whole frame, tiles, followed faces' regions) and the forward passes they took
/// (fewer when regions go as one batch, <see cref="FaceDetectorOptions.BatchRegions"/>).</summary>
public sealed record FaceSearchResult(IReadOnlyList<FaceDetection> Faces, int Regions, int ForwardPasses)
{
    /// <summary>An empty image: nothing searched.</summary>
    public static FaceSearchResult Nothing { get; } = new([], 0, 0);
}
