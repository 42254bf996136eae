using OpenCvSharp;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference;

/// <summary>One face track in one frame: where it is and its expression probabilities (in the order
/// of the predictor's class names), as the model gave them (<see cref="Raw"/>) and after temporal
/// smoothing (<see cref="Probabilities"/>). Immutable: smoothing makes new records.</summary>
public sealed record PredictionRecord(int Frame, double Time, int Track, Rect2f Box, float Score, IReadOnlyList<float> Raw)
{
    public IReadOnlyList<float> Probabilities { get; init; } = Raw;

    /// <summary>Valence and arousal in [-1, 1], from a checkpoint with the VA head (ABAW's VA task); null otherwise.</summary>
    public float[]? ValenceArousal { get; init; }

    /// <summary>The probability of each action unit (in <see cref="VideoPrediction.ActionUnitNames"/> order), from a
    /// checkpoint with the AU head; null otherwise.</summary>
    public float[]? ActionUnits { get; init; }

    /// <summary>The person this track belongs to (1-based, see <see cref="People.Person"/>); 0 when people are not linked (--people off).</summary>
    public int Person { get; init; }

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
    /// <summary>True when the records carry valence and arousal (a checkpoint with the VA head).</summary>
    public bool HasValenceArousal { get; init; }

    /// <summary>The action units the records carry probabilities of (a checkpoint with the AU head); empty otherwise.</summary>
    public IReadOnlyList<string> ActionUnitNames { get; init; } = [];

    /// <summary>The people of the video, when linked (<see cref="PeopleLinked"/>); empty otherwise.</summary>
    public People.PeopleResult People { get; init; } = VideoFer.Inference.People.PeopleResult.None;

    /// <summary>True when tracks were linked into people (predict's default; false with --people off).</summary>
    public bool PeopleLinked { get; init; }

    /// <summary>Frames that start a new shot (the face tracker restarted there).</summary>
    public IReadOnlyList<int> ShotCuts { get; init; } = [];

    /// <summary>Seconds from the start to frame <paramref name="frame"/> (1-based), as the records' times.</summary>
    public double TimeOf(int frame) => VideoFps > 0 ? (frame - 1) / VideoFps : frame - 1;

    public IReadOnlyList<int> Tracks => Records.Select(r => r.Track).Distinct().Order().ToList();
    public int FramesWithFace => Records.Select(r => r.Frame).Distinct().Count();
    public double ProcessingFps => Seconds > 0 ? Frames / Seconds : 0;

    /// <summary>How many records each class labels, for every class (zero included), in class order.</summary>
    public IReadOnlyList<(string Name, int Count)> LabelCounts =>
        ClassNames.Select((name, k) => (name, Records.Count(r => r.Label == k))).ToList();
}
