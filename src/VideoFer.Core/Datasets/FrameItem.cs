namespace VideoFer.Datasets;

/// <summary>One annotated frame of a video track, or one still image.
/// <para><see cref="Frame"/> is the 1-based video frame number (0 for still images);
/// <see cref="ImagePath"/> is null when the dataset has no image for that frame;
/// <see cref="Label"/> is in ABAW order, or -1 when the frame is to be ignored.</para></summary>
public sealed record FrameItem(string Dataset, string Split, string Stem, int Frame, string? ImagePath, int Label);

/// <summary>One frame slot of a clip. Padding slots (after the end of a video) have <see cref="Real"/> false.</summary>
public sealed record ClipFrame(int Frame, string? ImagePath, int Label, bool Real)
{
    /// <summary>When this frame has no image of its own and <see cref="ImagePath"/> was borrowed from
    /// the nearest frame that has one (see Clips.NearestFrameFill), that frame's number; otherwise null.</summary>
    public int? ImageFromFrame { get; init; }

    /// <summary>Valence and arousal of the frame, NaN where it has none (or its track has no VA annotations).</summary>
    public float Valence { get; init; } = float.NaN;
    public float Arousal { get; init; } = float.NaN;

    /// <summary>The frame's action units (1, 0, or -1 where not annotated), in the order of its track's
    /// <see cref="ActionUnitLabels.Names"/>; null when its track has no AU annotations.</summary>
    public sbyte[]? ActionUnits { get; init; }

    /// <summary>This slot with the VA and AU labels of <paramref name="track"/>'s frame <paramref name="frame"/> (if it has any).</summary>
    public ClipFrame WithTaskLabels(VideoTrack track, int frame)
    {
        if (track.ValenceArousal == null && track.ActionUnits == null) return this;
        sbyte[]? aus = null;
        if (track.ActionUnits is { } labels)
        {
            aus = new sbyte[labels.Count];
            for (int j = 0; j < aus.Length; j++) aus[j] = (sbyte)labels.Value(frame, j);
        }
        return this with
        {
            Valence = track.ValenceArousal?.Valence(frame) ?? float.NaN,
            Arousal = track.ValenceArousal?.Arousal(frame) ?? float.NaN,
            ActionUnits = aus,
        };
    }
}

/// <summary>A clip of consecutive frames of one track, as the network consumes it (paper §IV-C, D).</summary>
public sealed record Clip(string Stem, int StartFrame, IReadOnlyList<ClipFrame> Frames)
{
    public int Length => Frames.Count;
}
