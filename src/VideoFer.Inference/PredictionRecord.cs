using OpenCvSharp;

namespace VideoFer.Inference;

/// <summary>One face track in one frame: where it is and its expression probabilities (ABAW order),
/// as the model gave them (<see cref="Raw"/>) and after temporal smoothing (<see cref="Probabilities"/>).</summary>
public sealed record PredictionRecord(int Frame, double Time, int Track, Rect2f Box, float Score, float[] Raw)
{
    public float[] Probabilities { get; set; } = Raw;

    /// <summary>The most probable class after smoothing.</summary>
    public int Label
    {
        get
        {
            int best = 0;
            for (int k = 1; k < Probabilities.Length; k++)
                if (Probabilities[k] > Probabilities[best]) best = k;
            return best;
        }
    }
}

/// <summary>Everything predict found in one video.</summary>
public sealed record VideoPrediction(
    string Source, string Stem, int Frames, double VideoFps, int Width, int Height,
    IReadOnlyList<PredictionRecord> Records, string Model, double Seconds)
{
    public IReadOnlyList<int> Tracks => Records.Select(r => r.Track).Distinct().Order().ToList();
    public int FramesWithFace => Records.Select(r => r.Frame).Distinct().Count();
    public double ProcessingFps => Seconds > 0 ? Frames / Seconds : 0;
}
