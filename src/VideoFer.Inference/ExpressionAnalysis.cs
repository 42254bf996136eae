using VideoFer.Inference.Outputs;

namespace VideoFer.Inference;

/// <summary>A face's box in pixels of the frame: top-left corner, width and height.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height);

/// <summary>One face in one frame: which track it belongs to, where it is, and its expression.</summary>
/// <remarks>Records with init-only members, so that later properties (such as the person a track is
/// linked to) can be added without breaking code that reads these.</remarks>
public sealed record FaceExpression
{
    /// <summary>The 1-based frame number.</summary>
    public required int Frame { get; init; }
    /// <summary>Seconds from the start of the video.</summary>
    public required double Time { get; init; }
    /// <summary>The track: the same face followed over consecutive frames (a new id after a shot cut or a long gap).</summary>
    public required int Track { get; init; }
    /// <summary>The person the track belongs to (1-based, the same across shot cuts, occlusions and exits; see
    /// <see cref="ExpressionAnalysis.People"/>); 0 when people are not linked.</summary>
    public int Person { get; init; }
    public required FaceBox Box { get; init; }
    /// <summary>The face detector's confidence, 0 to 1.</summary>
    public required float DetectionScore { get; init; }
    /// <summary>The probability of each class (<see cref="ExpressionAnalysis.ClassNames"/>), after temporal smoothing.</summary>
    public required IReadOnlyList<float> Probabilities { get; init; }
    /// <summary>The probabilities as the model gave them for this frame alone, before smoothing.</summary>
    public required IReadOnlyList<float> RawProbabilities { get; init; }
    /// <summary>The class names, in the order of <see cref="Probabilities"/>.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The index of the most probable class (after smoothing).</summary>
    public int LabelIndex
    {
        get
        {
            int best = 0;
            for (int k = 1; k < Probabilities.Count; k++)
                if (Probabilities[k] > Probabilities[best]) best = k;
            return best;
        }
    }

    /// <summary>The most probable class (after smoothing), e.g. "Happiness".</summary>
    public string Label => ClassNames[LabelIndex];

    /// <summary>The probability of the most probable class.</summary>
    public float Confidence => Probabilities[LabelIndex];

    /// <summary>The probability of the class named <paramref name="className"/> (case-insensitive).</summary>
    public float Probability(string className)
    {
        for (int k = 0; k < ClassNames.Count; k++)
            if (string.Equals(ClassNames[k], className, StringComparison.OrdinalIgnoreCase)) return Probabilities[k];
        throw new ArgumentException($"{className}: not a class of this model ({string.Join(", ", ClassNames)})", nameof(className));
    }
}

/// <summary>One frame of the video and the faces found in it (none, one or several).</summary>
public sealed record AnalyzedFrame(int Index, double Time, IReadOnlyList<FaceExpression> Faces);

/// <summary>One face followed through the video: its detections, in frame order.</summary>
public sealed record FaceTrack(int Id, IReadOnlyList<FaceExpression> Faces)
{
    public int FirstFrame => Faces[0].Frame;
    public int LastFrame => Faces[^1].Frame;
}

/// <summary>What <see cref="ExpressionAnalyzer.Analyze"/> found in one video: every frame with its faces, every
/// face track, and the class probabilities of each face in each frame. <see cref="Save"/> writes the same files
/// as <c>videofer predict</c>.</summary>
public sealed class ExpressionAnalysis
{
    public ExpressionAnalysis(VideoPrediction prediction)
    {
        Prediction = prediction;
        var faces = prediction.Records.Select(r => new FaceExpression
        {
            Frame = r.Frame, Time = r.Time, Track = r.Track, Person = r.Person,
            Box = new FaceBox(r.Box.X, r.Box.Y, r.Box.Width, r.Box.Height), DetectionScore = r.Score,
            Probabilities = r.Probabilities, RawProbabilities = r.Raw, ClassNames = prediction.ClassNames,
        }).ToList();
        var byFrame = faces.ToLookup(f => f.Frame);
        Frames = Enumerable.Range(1, prediction.Frames).Select(i => new AnalyzedFrame(i,
            byFrame[i].FirstOrDefault()?.Time ?? FrameTime(i, prediction.VideoFps), byFrame[i].ToList())).ToList();
        Tracks = faces.GroupBy(f => f.Track).OrderBy(g => g.Key)
            .Select(g => new FaceTrack(g.Key, g.OrderBy(f => f.Frame).ToList())).ToList();
    }

    /// <summary>The video file, frame folder or image analysed.</summary>
    public string Source => Prediction.Source;
    /// <summary>The model's class names, in the order of every probability vector.</summary>
    public IReadOnlyList<string> ClassNames => Prediction.ClassNames;
    /// <summary>One line naming the model that gave the probabilities.</summary>
    public string Model => Prediction.Model;
    /// <summary>Every frame, in order (<c>Frames[0].Index</c> is 1), including frames without a face.</summary>
    public IReadOnlyList<AnalyzedFrame> Frames { get; }
    /// <summary>Every face track, by id.</summary>
    public IReadOnlyList<FaceTrack> Tracks { get; }
    /// <summary>The people: tracks linked into one id per person, by first appearance, with frames, time on screen
    /// and a thumbnail (docs/FACES.md); empty when people are not linked.</summary>
    public IReadOnlyList<People.Person> People => Prediction.People.People;
    public double VideoFps => Prediction.VideoFps;
    public int Width => Prediction.Width;
    public int Height => Prediction.Height;
    /// <summary>Frames analysed per second of processing time.</summary>
    public double ProcessingFps => Prediction.ProcessingFps;

    /// <summary>The same results as <c>videofer predict</c>'s pipeline returns them (one record per frame and
    /// track), for the writers in <see cref="Outputs"/>.</summary>
    public VideoPrediction Prediction { get; }

    /// <summary>Writes predictions.csv, the ABAW label files, timelines and (unless <paramref name="annotatedVideo"/>
    /// is false) the annotated video into <paramref name="directory"/>, as <c>videofer predict</c> does.</summary>
    public PredictionOutputs Save(string directory, bool annotatedVideo = true, CancellationToken cancellationToken = default) =>
        PredictionOutputs.Write(directory, Prediction, annotatedVideo, cancellationToken);

    /// <summary>The time every source gives frame <paramref name="index"/> (VideoFer.Vision: (index - 1) / fps).</summary>
    static double FrameTime(int index, double fps) => fps > 0 ? (index - 1) / fps : 0;
}
