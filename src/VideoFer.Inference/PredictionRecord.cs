using OpenCvSharp;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference;

/// <summary>One face track in one frame: where it is and its expression probabilities (in the order
/// of the predictor's class names), as the model gave them (<see cref="Raw"/>) and after temporal
/// smoothing (<see cref="Probabilities"/>). Immutable: smoothing makes new records.</summary>
public sealed record PredictionRecord(int Frame, double Time, int Track, Rect2f Box, float Score, IReadOnlyList<float> Raw)
{
    public IReadOnlyList<float> Probabilities { get; init; } = Raw;

    /// <summary>The probabilities a predictor gave the face <paramref name="face"/> of <paramref name="frame"/>.</summary>
    public static PredictionRecord Of(FrameFaces frame, AlignedFace face, float[] probabilities) =>
        new(frame.Index, frame.Time, face.TrackId, face.Detection.Box, face.Detection.Score, probabilities);

    /// <summary>The most probable class after smoothing.</summary>
    public int Label
    {
        get
        {
            int best = 0;
            for (int k = 1; k < Probabilities.Count; k++)
                if (Probabilities[k] > Probabilities[best]) best = k;
            return best;
        }
    }
}

/// <summary>Everything predict found in one video. <see cref="ClassNames"/> are the predictor's, in
/// the order of every record's probabilities.</summary>
public sealed record VideoPrediction(
    string Source, string Stem, int Frames, double VideoFps, int Width, int Height,
    IReadOnlyList<PredictionRecord> Records, string Model, double Seconds, IReadOnlyList<string> ClassNames)
{
    public IReadOnlyList<int> Tracks => Records.Select(r => r.Track).Distinct().Order().ToList();
    public int FramesWithFace => Records.Select(r => r.Frame).Distinct().Count();
    public double ProcessingFps => Seconds > 0 ? Frames / Seconds : 0;

    /// <summary>How many records each class labels, for every class (zero included), in class order.</summary>
    public IReadOnlyList<(string Name, int Count)> LabelCounts =>
        ClassNames.Select((name, k) => (name, Records.Count(r => r.Label == k))).ToList();
}
