using OpenCvSharp;

namespace VideoFer.Vision.Pipeline;

/// <summary>Everything the pipeline found in one frame. Dispose it once consumed to free the crops.</summary>
public sealed class FrameFaces : IDisposable
{
    public FrameFaces(int index, double time, bool shotCut, IReadOnlyList<AlignedFace> faces, Mat? image)
    {
        Index = index;
        Time = time;
        ShotCut = shotCut;
        Faces = faces;
        Image = image;
    }

    /// <summary>1-based frame number.</summary>
    public int Index { get; }

    /// <summary>Seconds from the start.</summary>
    public double Time { get; }

    /// <summary>True when this frame starts a new shot (tracks were restarted).</summary>
    public bool ShotCut { get; }

    /// <summary>Faces found, in detection-score order; empty when none.</summary>
    public IReadOnlyList<AlignedFace> Faces { get; }

    /// <summary>The decoded frame, only when <see cref="FacePipelineOptions.KeepFrameImage"/> is set.</summary>
    public Mat? Image { get; }

    public void Dispose()
    {
        foreach (var f in Faces) f.Dispose();
        Image?.Dispose();
    }
}
