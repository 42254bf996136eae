using OpenCvSharp;

namespace VideoFer.Vision.Faces.Tracking;

/// <summary>Links detections frame to frame into tracks with stable ids. Each detection is matched to
/// at most one live track by box overlap and keypoint distance, best pairs first (greedy assignment is
/// enough: faces in one frame rarely compete for the same track). A track survives
/// <see cref="TrackerOptions.MaxGap"/> frames without a detection; a shot cut ends every track.</summary>
public sealed class FaceTracker
{
    sealed class Track(int id, FaceDetection last, int lastFrame)
    {
        public int Id { get; } = id;
        public FaceDetection Last { get; set; } = last;
        public int LastFrame { get; set; } = lastFrame;
    }

    readonly TrackerOptions _options;
    readonly List<Track> _live = [];
    int _nextId = 1;

    public FaceTracker(TrackerOptions? options = null) => _options = options ?? new TrackerOptions();

    /// <summary>Number of track ids handed out so far.</summary>
    public int TrackCount => _nextId - 1;

    /// <summary>Assigns track ids to the detections of frame <paramref name="frameIndex"/> (frames must
    /// come in increasing order; skipped numbers count as gaps).</summary>
    public IReadOnlyList<TrackedFace> Update(int frameIndex, IReadOnlyList<FaceDetection> detections, bool shotCut = false)
    {
        if (shotCut) _live.Clear();
        _live.RemoveAll(t => frameIndex - t.LastFrame - 1 > _options.MaxGap);

        var pairs = new List<(float Cost, Track Track, int Detection)>();
        foreach (var track in _live)
            for (int d = 0; d < detections.Count; d++)
                if (Cost(track.Last, detections[d]) is float cost)
                    pairs.Add((cost, track, d));

        var assigned = new int[detections.Count];
        var usedTracks = new HashSet<Track>();
        foreach (var (_, track, d) in pairs.OrderBy(p => p.Cost))
        {
            if (assigned[d] != 0 || usedTracks.Contains(track)) continue;
            assigned[d] = track.Id;
            usedTracks.Add(track);
            track.Last = detections[d];
            track.LastFrame = frameIndex;
        }

        var result = new TrackedFace[detections.Count];
        for (int d = 0; d < detections.Count; d++)
        {
            if (assigned[d] == 0)
            {
                var track = new Track(_nextId++, detections[d], frameIndex);
                _live.Add(track);
                assigned[d] = track.Id;
            }
            result[d] = new TrackedFace(assigned[d], detections[d]);
        }
        return result;
    }

    /// <summary>Matching cost (lower is better), or null when the pair is too far apart to be one face.</summary>
    internal float? Cost(FaceDetection previous, FaceDetection current)
    {
        float iou = FaceDetection.IoU(previous.Box, current.Box);
        float distance = KeypointDistance(previous, current);
        if (iou < _options.MinIoU && distance > _options.MaxKeypointDistance) return null;
        // A big jump in size is a different face even when boxes overlap (a face behind another).
        float sizeRatio = Math.Max(previous.Size, current.Size) / Math.Max(1e-3f, Math.Min(previous.Size, current.Size));
        if (sizeRatio > 2f) return null;
        return (1 - iou) + distance;
    }

    /// <summary>Mean distance of the eye, nose and mouth keypoints, in units of the earlier face's size.</summary>
    internal static float KeypointDistance(FaceDetection a, FaceDetection b)
    {
        float sum = 0;
        for (int k = 0; k < 4; k++)
        {
            Point2f p = a.Keypoints[k], q = b.Keypoints[k];
            sum += MathF.Sqrt((p.X - q.X) * (p.X - q.X) + (p.Y - q.Y) * (p.Y - q.Y));
        }
        return sum / 4 / Math.Max(1f, a.Size);
    }
}
