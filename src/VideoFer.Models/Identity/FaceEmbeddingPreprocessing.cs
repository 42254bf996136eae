using VideoFer.Models.Expressions;

namespace VideoFer.Models.Identity;

/// <summary>The input @vladmandic/human 3.3.6 gives its face-description model (src/face/faceres.ts, enhance):
/// the face crop as RGB / 255 (Human's face tensor), bilinear resize to the model's side with TF's legacy
/// sampling (tf.image.resizeBilinear, no aligned corners, no half-pixel centres), times 255. Rounded to float32
/// where TF.js stores a tensor, so the input matches TF.js's to the last bit or so.</summary>
public static class FaceEmbeddingPreprocessing
{
    /// <summary>NHWC [1, size, size, 3] data for <paramref name="crop"/>.</summary>
    public static float[] ToModelInput(FaceCrop crop, int size, FaceEmbeddingSpec spec)
    {
        // The same resize the expression model's pre-processing uses (RGB / 255, TF's legacy bilinear).
        var resized = EmotionPreprocessing.ResizeBilinearLegacy(crop, size, size);
        if (spec.Scale == 1f) return resized;
        for (int i = 0; i < resized.Length; i++) resized[i] = (float)((double)resized[i] * spec.Scale);
        return resized;
    }
}
