using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Non-maximum suppression that, like MediaPipe's "weighted" mode, replaces each cluster of
/// overlapping detections by their score-weighted mean box and keypoints (keeping the best score).
/// Averaging steadies boxes and keypoints from frame to frame, which alignment relies on.</summary>
public static class WeightedNms
{
    /// <param name="iouThreshold">Detections overlapping the cluster's best one by more than this merge.</param>
    /// <param name="weighted">False: plain NMS, the best detection of each cluster is kept as is.</param>
    public static List<FaceDetection> Apply(IEnumerable<FaceDetection> detections, float iouThreshold = 0.3f,
        bool weighted = true)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var cluster = remaining.Where(d => FaceDetection.IoU(best.Box, d.Box) > iouThreshold).ToList();
            if (cluster.Count == 0) cluster.Add(best); // a degenerate (empty) box still leaves the list
            remaining.RemoveAll(d => cluster.Contains(d));
            kept.Add(weighted && cluster.Count > 1 ? Average(cluster, best.Score) : best);
        }
        return kept;
    }

    static FaceDetection Average(List<FaceDetection> cluster, float score)
    {
        float total = cluster.Sum(d => d.Score);
        float x = 0, y = 0, w = 0, h = 0;
        var keypoints = new Point2f[FaceDetection.KeypointCount];
        foreach (var d in cluster)
        {
            float wt = d.Score / total;
            x += d.Box.X * wt; y += d.Box.Y * wt; w += d.Box.Width * wt; h += d.Box.Height * wt;
            for (int k = 0; k < keypoints.Length; k++)
                keypoints[k] = new Point2f(keypoints[k].X + d.Keypoints[k].X * wt, keypoints[k].Y + d.Keypoints[k].Y * wt);
        }
        return new FaceDetection(new Rect2f(x, y, w, h), keypoints, score);
    }
}
