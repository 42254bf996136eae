using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.Predictors;

/// <summary>Turns the faces of each frame into expression probabilities, each attached to the face it
/// was given (frame, time, track, box, score). A predictor may hold faces back (the clip model needs
/// 8 frames of a track) and return their predictions with a later frame or from <see cref="Finish"/>;
/// every face passed in gets exactly one prediction.</summary>
public interface IExpressionPredictor : IDisposable
{
    /// <summary>One line for reports: which model, what input.</summary>
    string Description { get; }

    /// <summary>The classes of the probabilities, in their order (7 ABAW classes, or 8 with Other).</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Sides of the aligned crops the predictor needs from the face pipeline; empty when it
    /// needs none (then the pipeline aligns nothing).</summary>
    IReadOnlyList<int> CropSizes { get; }

    /// <summary>Whether every record also carries valence and arousal (a multi-task checkpoint's VA head).</summary>
    bool HasValenceArousal => false;

    /// <summary>The action units every record carries probabilities of (a multi-task checkpoint's AU head); empty when none.</summary>
    IReadOnlyList<string> ActionUnitNames => [];

    /// <summary>Whether the predictor needs the whole frame image (the default model crops it itself).</summary>
    bool NeedsFrameImage { get; }

    IReadOnlyList<PredictionRecord> Add(FrameFaces frame);

    IReadOnlyList<PredictionRecord> Finish();
}
