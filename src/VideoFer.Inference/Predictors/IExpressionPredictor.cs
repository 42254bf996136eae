using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.Predictors;

/// <summary>Expression probabilities (ABAW order) of one face track in one frame.</summary>
public sealed record FacePrediction(int Frame, int Track, float[] Probabilities);

/// <summary>Turns the faces of each frame into expression probabilities. A predictor may hold faces
/// back (the clip model needs 8 frames of a track) and return their predictions with a later frame
/// or from <see cref="Finish"/>; every face passed in gets exactly one prediction.</summary>
public interface IExpressionPredictor : IDisposable
{
    /// <summary>One line for reports: which model, what input.</summary>
    string Description { get; }

    /// <summary>Crop sides the predictor needs from the face pipeline.</summary>
    IReadOnlyList<int> CropSizes { get; }

    /// <summary>Whether the predictor needs the whole frame image (the default model crops it itself).</summary>
    bool NeedsFrameImage { get; }

    IReadOnlyList<FacePrediction> Add(FrameFaces frame);

    IReadOnlyList<FacePrediction> Finish();
}
