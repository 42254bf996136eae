namespace VideoFer.Inference.People;

/// <summary>How predict links face tracks into people (docs/FACES.md, "People").</summary>
public sealed record PeopleOptions
{
    /// <summary>Link tracks into people (predict's default); false gives tracks only (<c>--people off</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Keep only the N people with the most frames (<c>--max-people</c>); null keeps everyone.</summary>
    public int? MaxPeople { get; init; }

    /// <summary>Leave out people seen in fewer frames (<c>--min-person-frames</c>; 1 keeps everyone). The default 3
    /// drops one- and two-frame detections as spurious, as prepare's --min-track does (franck.mp4 has two, on
    /// frames where the real face is also seen); never more than the input's frame count, so a picture keeps its faces.</summary>
    public int MinPersonFrames { get; init; } = DefaultMinPersonFrames;

    public const int DefaultMinPersonFrames = 3;

    /// <summary>Frames of each track whose faces are embedded (the best-quality ones, spread over the track).
    /// One frame per track links the two main characters of Megamind.avi wrongly often; three kept them 0.16
    /// apart beyond the same-person distances, as well as five did (docs/FACES.md), at 60% of the cost.</summary>
    public int SamplesPerTrack { get; init; } = 3;

    /// <summary>Two groups of tracks are one person when the mean cosine distance between their tracks'
    /// descriptors is below this (chosen on measured distances, docs/FACES.md).</summary>
    public double LinkThreshold { get; init; } = PeopleLinker.DefaultThreshold;

    /// <summary>A face is good enough to describe its track when its box is at least this many pixels high and wide.</summary>
    public int MinFaceSide { get; init; } = 40;

    /// <summary>A track is linked to others only with at least this many good faces; else it is a person of its own.</summary>
    public int MinLinkSamples { get; init; } = 3;

    /// <summary>Refuses values no run can use (predict checks them before any work).</summary>
    public PeopleOptions Check()
    {
        if (MaxPeople is int max && max < 1) throw new VideoFerException($"--max-people {max}: expected at least 1");
        if (MinPersonFrames < 1) throw new VideoFerException($"--min-person-frames {MinPersonFrames}: expected at least 1");
        if (SamplesPerTrack < 1) throw new VideoFerException($"people: {SamplesPerTrack} samples per track, expected at least 1");
        if (MinLinkSamples < 1 || MinLinkSamples > SamplesPerTrack)
            throw new VideoFerException($"people: {MinLinkSamples} samples needed to link, expected 1 to {SamplesPerTrack}");
        return this;
    }
}
