using VideoFer.Vision.Faces;
using OpenCvSharp;

namespace VideoFer.Vision.Pipeline;

/// <summary>One face in one frame: its track, its detection and its aligned crops (BGR, one per size).</summary>
public sealed class AlignedFace : IDisposable
{
    readonly Dictionary<int, Mat> _crops;

    public AlignedFace(int trackId, FaceDetection detection, Dictionary<int, Mat> crops)
    {
        TrackId = trackId;
        Detection = detection;
        _crops = crops;
    }

    public int TrackId { get; }
    public FaceDetection Detection { get; }

    /// <summary>Crop sides available.</summary>
    public IEnumerable<int> CropSizes => _crops.Keys;

    /// <summary>The aligned crop of side <paramref name="size"/>, owned by this object.</summary>
    public Mat Crop(int size) => _crops.TryGetValue(size, out var m) ? m
        : throw new ArgumentException($"no {size}x{size} crop was requested from the pipeline", nameof(size));

    public void Dispose()
    {
        foreach (var m in _crops.Values) m.Dispose();
        _crops.Clear();
    }
}
