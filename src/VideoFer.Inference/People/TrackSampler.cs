using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Faces;

namespace VideoFer.Inference.People;

/// <summary>One face kept to describe its track: its frame, detection, quality, whether it is good enough to
/// link by (<see cref="PeopleOptions.MinFaceSide"/>, frontal) and its identity crop.</summary>
public sealed record FaceSample(int Frame, FaceDetection Detection, float Quality, bool Good, FaceCrop Crop);

/// <summary>What one track looks like to the linker: when it is on screen and its best faces.</summary>
public sealed class TrackFaces(int track, int firstFrame)
{
    internal readonly List<FaceSample> Kept = [];

    public int Track { get; } = track;
    public int FirstFrame { get; } = firstFrame;
    public int LastFrame { get; internal set; } = firstFrame;
    public int Frames { get; internal set; }

    /// <summary>True once the tracker can no longer continue the track: its faces are final.</summary>
    public bool Closed { get; internal set; }

    /// <summary>The kept faces in frame order.</summary>
    public IReadOnlyList<FaceSample> Samples => Kept.OrderBy(s => s.Frame).ToList();

    /// <summary>Frees the crops of all kept faces but the best (kept for the person's thumbnail), once they are
    /// embedded: a long video's many tracks then hold one crop each, not three.</summary>
    internal void KeepOnlyTheBestCrop()
    {
        var best = Kept.MaxBy(s => s.Quality);
        for (int i = 0; i < Kept.Count; i++)
            if (!ReferenceEquals(Kept[i], best)) Kept[i] = Kept[i] with { Crop = default };
    }

    /// <summary>True when the tracks share a moment on screen (their first-to-last spans meet): then they are two people.</summary>
    public bool OverlapsInTime(TrackFaces other) => FirstFrame <= other.LastFrame && other.FirstFrame <= LastFrame;
}

/// <summary>Keeps, while the video streams, the few best faces of every track (<see cref="IdentityCrop.Quality"/>),
/// at least <see cref="MinSpacing"/> frames apart so that they show the face at different moments, not one
/// moment five times. Only a kept face is cut from its frame, so the cost is a few crops per track.</summary>
public sealed class TrackSampler(PeopleOptions options)
{
    /// <summary>Frames between two kept faces of a track (a quarter of a second at 24 frames/s).</summary>
    public const int MinSpacing = 6;

    readonly Dictionary<int, TrackFaces> _tracks = [];

    public IReadOnlyList<TrackFaces> Tracks => _tracks.Values.OrderBy(t => t.Track).ToList();

    /// <summary>Closes and returns the tracks that cannot continue at frame <paramref name="frame"/>: every open one
    /// at a shot cut, else those unseen for more than <paramref name="maxGap"/> frames (the tracker's rule).</summary>
    public IReadOnlyList<TrackFaces> CloseFinished(int frame, bool shotCut, int maxGap)
    {
        var finished = _tracks.Values.Where(t => !t.Closed && t.LastFrame < frame && (shotCut || frame - t.LastFrame - 1 > maxGap)).ToList();
        foreach (var t in finished) t.Closed = true;
        return finished;
    }

    /// <summary>Considers one face of frame <paramref name="frame"/> (the frame image in BGR).</summary>
    public void Offer(int frame, int track, FaceDetection face, Mat bgrFrame)
    {
        if (!_tracks.TryGetValue(track, out var t)) _tracks[track] = t = new TrackFaces(track, frame);
        if (t.Closed) throw new InvalidOperationException($"track {track} continued at frame {frame} after it was closed");
        t.LastFrame = Math.Max(t.LastFrame, frame);
        t.Frames++;

        float quality = IdentityCrop.Quality(face);
        var kept = t.Kept;
        // Frames come in order and kept faces are MinSpacing apart, so only the latest can be too close.
        int near = kept.FindIndex(s => frame - s.Frame < MinSpacing);
        int replace;
        if (near >= 0) replace = quality > kept[near].Quality ? near : -1;
        else if (kept.Count < options.SamplesPerTrack) replace = kept.Count;
        else
        {
            int worst = 0;
            for (int i = 1; i < kept.Count; i++) if (kept[i].Quality < kept[worst].Quality) worst = i;
            replace = quality > kept[worst].Quality ? worst : -1;
        }
        if (replace < 0) return;
        bool good = Math.Min(face.Box.Width, face.Box.Height) >= options.MinFaceSide && IdentityCrop.Frontality(face) >= 0.5f;
        var sample = new FaceSample(frame, face, quality, good, IdentityCrop.Cut(bgrFrame, face));
        if (replace == kept.Count) kept.Add(sample);
        else kept[replace] = sample;
    }
}
