using VideoFer.Datasets;

namespace VideoFer.Clips;

/// <summary>A run of consecutive valid frames (image present, label not -1) in a track.</summary>
public readonly record struct FrameRun(int Start, int Length)
{
    /// <summary>How many windows of <paramref name="clipLength"/> frames fit inside the run.</summary>
    public long Windows(int clipLength) => Math.Max(0, Length - clipLength + 1);
}

/// <summary>Finds where training clips can start: windows of L consecutive frames that all have an
/// image and a valid label (paper §IV-C samples such windows).</summary>
public static class ValidWindows
{
    /// <summary>The maximal runs of valid frames, in frame order.</summary>
    /// <param name="tasks">Whose labels count (a frame labelled for any of them is valid); the expression's by default.</param>
    public static IReadOnlyList<FrameRun> Runs(VideoTrack track, AbawTasks tasks = AbawTasks.Expression)
    {
        var runs = new List<FrameRun>();
        int start = 0;
        for (int f = 1; f <= track.FrameCount + 1; f++)
        {
            bool valid = f <= track.FrameCount && track.HasLabelFor(f, tasks);
            if (valid && start == 0)
                start = f;
            else if (!valid && start != 0)
            {
                runs.Add(new FrameRun(start, f - start));
                start = 0;
            }
        }
        return runs;
    }

    /// <summary>The number of distinct valid windows of <paramref name="clipLength"/> frames.</summary>
    public static long Count(VideoTrack track, int clipLength)
    {
        CheckLength(clipLength);
        return Runs(track).Sum(r => r.Windows(clipLength));
    }

    internal static void CheckLength(int clipLength)
    {
        if (clipLength < 1)
            throw new VideoFerException($"the clip length must be at least 1, not {clipLength}");
    }
}
