using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests;

/// <summary>Shared BlazeFace instances (loading a model takes a while; the DNN net is not thread-safe,
/// so tests using them run in one collection).</summary>
public sealed class DetectorFixture : IDisposable
{
    public BlazeFaceDetector Plain { get; } = new(new FaceDetectorOptions { TilesPerShortSide = 0 });
    public BlazeFaceDetector Tiled { get; } = new(new FaceDetectorOptions { TilesPerShortSide = 2 });
    public BlazeFaceDetector Short { get; } = new(new FaceDetectorOptions { Model = BlazeFaceModel.ShortRange, TilesPerShortSide = 0 });

    public void Dispose()
    {
        Plain.Dispose();
        Tiled.Dispose();
        Short.Dispose();
    }
}

[CollectionDefinition("detector")]
public sealed class DetectorCollection : ICollectionFixture<DetectorFixture>;
