using VideoFer.Models.Expressions;

namespace VideoFer.Inference.People;

/// <summary>One person of a video: the tracks found to be the same face, numbered by first appearance
/// (1-based). <see cref="Linked"/> is false for a person whose only track had too few good faces to be
/// compared with others (too small, in profile, blurred): such a face is never merged, it keeps an id of its own.</summary>
public sealed record Person(int Id, IReadOnlyList<int> Tracks, int Frames, int FirstFrame, int LastFrame,
    double FirstTime, double LastTime, bool Linked, FaceCrop? Thumbnail, int ThumbnailFrame)
{
    /// <summary>Time on screen: frames with this person's face, over the video's frame rate (the frame count when unknown).</summary>
    public double SecondsOnScreen(double fps) => fps > 0 ? Frames / fps : Frames;
}

/// <summary>What linking found: the people, kept after --max-people and --min-person-frames, the link decisions,
/// each track's descriptor (for diagnostics), the faces embedded, the seconds the embedding thread worked
/// (<see cref="EmbeddingSeconds"/>, mostly while the video streamed) and that keeping faces took on predict's own
/// thread (<see cref="SamplingSeconds"/>).</summary>
public sealed record PeopleResult(IReadOnlyList<Person> People, LinkResult Links,
    IReadOnlyDictionary<int, float[]?> TrackDescriptors, int EmbeddedFaces, double EmbeddingSeconds)
{
    public double SamplingSeconds { get; init; }

    /// <summary>Seconds predict spent in linking after the last frame: waiting for the embedding thread
    /// (<see cref="WaitSeconds"/>), then linking.</summary>
    public double FinishSeconds { get; init; }

    public double WaitSeconds { get; init; }

    public static readonly PeopleResult None = new([], new LinkResult([], []), new Dictionary<int, float[]?>(), 0, 0);
}
