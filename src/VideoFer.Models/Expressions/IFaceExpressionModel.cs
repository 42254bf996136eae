namespace VideoFer.Models.Expressions;

/// <summary>A per-frame expression model: face crops in, the 7 ABAW class probabilities of each out (Neutral,
/// Anger, Disgust, Fear, Happiness, Sadness, Surprise). Each model pre-processes a crop as its publisher does.</summary>
public interface IFaceExpressionModel : IDisposable
{
    /// <summary>Short name, as <c>--model</c> spells it (human, faceapi).</summary>
    string Name { get; }

    /// <summary>The model file in use.</summary>
    string Path { get; }

    /// <summary>The side of the square crop to cut for it: what its publisher's pipeline hands it.</summary>
    int CropSide { get; }

    /// <summary>Probabilities in ABAW order for each crop, run as one batch.</summary>
    float[][] Predict(IReadOnlyList<FaceCrop> crops);
}
