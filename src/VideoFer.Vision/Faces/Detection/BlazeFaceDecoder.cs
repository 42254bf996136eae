using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Turns BlazeFace's raw outputs into detections in normalised [0, 1] input coordinates.
/// Per anchor the model emits one logit and 16 numbers: box centre x, y, width, height, then six (x, y)
/// keypoints, all in input pixels relative to the anchor centre (fixed-size anchors, so no scaling by
/// anchor size).</summary>
internal sealed class BlazeFaceDecoder
{
    public const int ValuesPerAnchor = 4 + 2 * FaceDetection.KeypointCount;
    const float LogitClip = 100f; // MediaPipe clips raw scores to +-100 before the sigmoid

    readonly SsdAnchors.Anchor[] _anchors;
    readonly float _inputSize;

    public BlazeFaceDecoder(SsdAnchors.Anchor[] anchors, int inputSize)
    {
        _anchors = anchors;
        _inputSize = inputSize;
    }

    public int AnchorCount => _anchors.Length;

    public static float Sigmoid(float logit)
    {
        logit = Math.Clamp(logit, -LogitClip, LogitClip);
        return 1f / (1f + MathF.Exp(-logit));
    }

    /// <summary>All anchors whose score reaches <paramref name="minScore"/>, before suppression.</summary>
    public List<FaceDetection> Decode(ReadOnlySpan<float> logits, ReadOnlySpan<float> regressors, float minScore)
    {
        if (logits.Length != _anchors.Length || regressors.Length != _anchors.Length * ValuesPerAnchor)
            throw new InvalidOperationException(
                $"BlazeFace output sizes {logits.Length}/{regressors.Length} do not match {_anchors.Length} anchors");
        var found = new List<FaceDetection>();
        for (int i = 0; i < _anchors.Length; i++)
        {
            float score = Sigmoid(logits[i]);
            if (score < minScore) continue;
            var r = regressors.Slice(i * ValuesPerAnchor, ValuesPerAnchor);
            var a = _anchors[i];
            float cx = r[0] / _inputSize + a.X, cy = r[1] / _inputSize + a.Y;
            float w = r[2] / _inputSize, h = r[3] / _inputSize;
            if (w <= 0 || h <= 0) continue;
            var keypoints = new Point2f[FaceDetection.KeypointCount];
            for (int k = 0; k < keypoints.Length; k++)
                keypoints[k] = new Point2f(r[4 + 2 * k] / _inputSize + a.X, r[5 + 2 * k] / _inputSize + a.Y);
            found.Add(new FaceDetection(new Rect2f(cx - w / 2, cy - h / 2, w, h), keypoints, score));
        }
        return found;
    }
}
