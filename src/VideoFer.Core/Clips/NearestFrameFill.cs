namespace VideoFer.Clips;

/// <summary>Frames without a face image still need a prediction in a submission (every video frame
/// is scored). Such a frame takes the image, or the prediction, of the nearest frame that has one.
/// <para>Tie rule: when the previous and the next frame with an image are equally far, the previous
/// one wins — ABAW teams filled gaps with the previous frame's prediction, and this matches them
/// where it matters most (a single missing frame).</para></summary>
public static class NearestFrameFill
{
    /// <summary>For each 1-based frame k (at index k - 1): k itself if it has an image, else the nearest
    /// frame with one (earlier on a tie); 0 if no frame of the track has an image.</summary>
    public static int[] Sources(IReadOnlyList<bool> hasImage)
    {
        int n = hasImage.Count;
        var previous = new int[n];
        int last = 0;
        for (int i = 0; i < n; i++)
        {
            if (hasImage[i]) last = i + 1;
            previous[i] = last;
        }
        var sources = new int[n];
        int next = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            if (hasImage[i]) next = i + 1;
            int frame = i + 1, p = previous[i];
            sources[i] = p == 0 ? next
                : next == 0 ? p
                : frame - p <= next - frame ? p : next;
        }
        return sources;
    }

    /// <summary>Copies <paramref name="values"/> (one per frame) with each frame lacking an image given the
    /// value of its source frame. Values of frames without an image are never read, so whatever a model
    /// produced for a blank input there is discarded. With no image at all, the values are returned unchanged.</summary>
    public static T[] Fill<T>(IReadOnlyList<T> values, IReadOnlyList<bool> hasImage)
    {
        if (values.Count != hasImage.Count)
            throw new ArgumentException("one value per frame is needed", nameof(values));
        var sources = Sources(hasImage);
        var filled = new T[values.Count];
        for (int i = 0; i < filled.Length; i++)
            filled[i] = values[sources[i] == 0 ? i : sources[i] - 1];
        return filled;
    }
}
