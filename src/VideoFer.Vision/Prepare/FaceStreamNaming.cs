namespace VideoFer.Vision.Prepare;

/// <summary>Names the face streams of one video once all its tracks are known: a single stream is just
/// the video's stem (as Aff-Wild2 names one-person videos); several are <c>&lt;stem&gt;_1</c>,
/// <c>_2</c>, ... in order of first appearance, or, on request and with exactly two, <c>_left</c>/<c>_right</c>
/// by mean horizontal position.</summary>
public static class FaceStreamNaming
{
    /// <summary>Summary of one kept track: when it first appears and where it tends to be.</summary>
    public readonly record struct TrackSummary(int TrackId, int FirstFrame, double MeanCenterX);

    /// <returns>Track id -> (1-based stream number, stream name).</returns>
    public static Dictionary<int, (int Number, string Name)> Assign(string stem, IEnumerable<TrackSummary> tracks, bool leftRight)
    {
        var ordered = tracks.OrderBy(t => t.FirstFrame).ThenBy(t => t.TrackId).ToList();
        var names = new Dictionary<int, (int, string)>();
        if (ordered.Count == 1)
        {
            names[ordered[0].TrackId] = (1, stem);
            return names;
        }
        if (leftRight && ordered.Count == 2)
        {
            bool firstIsLeft = ordered[0].MeanCenterX <= ordered[1].MeanCenterX;
            names[ordered[0].TrackId] = (1, stem + (firstIsLeft ? "_left" : "_right"));
            names[ordered[1].TrackId] = (2, stem + (firstIsLeft ? "_right" : "_left"));
            return names;
        }
        for (int i = 0; i < ordered.Count; i++)
            names[ordered[i].TrackId] = (i + 1, $"{stem}_{i + 1}");
        return names;
    }
}
