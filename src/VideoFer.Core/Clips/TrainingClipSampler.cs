using VideoFer.Datasets;

namespace VideoFer.Clips;

/// <summary>Draws training clips as the paper does (§IV-C): pick a video uniformly at random, then a
/// window of <see cref="ClipLength"/> consecutive frames, uniformly among that video's windows whose
/// frames all have an image and a valid label. Videos without such a window are skipped and counted.
/// <para>Deterministic: the same tracks (in the same order), length and generator state give the same
/// clips. The caller owns the <see cref="System.Random"/> (the trainer seeds one per iteration); .NET
/// keeps the seeded algorithm unchanged across versions for exactly this reason.</para></summary>
public sealed class TrainingClipSampler
{
    sealed record Candidate(VideoTrack Track, FrameRun[] Runs, long[] WindowsBefore, long Windows);

    readonly Candidate[] _videos;

    /// <param name="tasks">The tasks trained: a frame is usable when it has an image and a label of one of them
    /// (multi-task training learns from partly annotated frames, each task's loss masked where it has no label).</param>
    public TrainingClipSampler(IEnumerable<VideoTrack> tracks, int clipLength = 8, AbawTasks tasks = AbawTasks.Expression)
    {
        ValidWindows.CheckLength(clipLength);
        ClipLength = clipLength;
        var videos = new List<Candidate>();
        var skipped = new List<string>();
        foreach (var track in tracks)
        {
            var runs = ValidWindows.Runs(track, tasks).Where(r => r.Windows(clipLength) > 0).ToArray();
            var before = new long[runs.Length];
            long total = 0;
            for (int i = 0; i < runs.Length; i++)
            {
                before[i] = total;
                total += runs[i].Windows(clipLength);
            }
            if (total == 0)
                skipped.Add(track.Stem);
            else
                videos.Add(new Candidate(track, runs, before, total));
        }
        _videos = videos.ToArray();
        SkippedStems = skipped;
        if (_videos.Length == 0)
            throw new VideoFerException(
                $"no video has {clipLength} consecutive frames with an image and a valid label " +
                $"for {AbawTaskNames.Name(tasks)} ({skipped.Count} videos checked)");
    }

    public int ClipLength { get; }

    /// <summary>The videos clips are drawn from.</summary>
    public IReadOnlyList<VideoTrack> Videos => _videos.Select(v => v.Track).ToArray();

    /// <summary>Stems of the videos without a single valid window.</summary>
    public IReadOnlyList<string> SkippedStems { get; }

    /// <summary>Valid windows over all usable videos.</summary>
    public long WindowCount => _videos.Sum(v => v.Windows);

    /// <summary>A random clip drawn with the caller's generator (the trainer seeds one per iteration,
    /// which makes a resumed run draw exactly the clips of an uninterrupted one); every frame in it is
    /// real, has an image and a label ≥ 0.</summary>
    public Clip Next(Random random)
    {
        var video = _videos[random.Next(_videos.Length)];
        long window = random.NextInt64(video.Windows);
        int run = Array.BinarySearch(video.WindowsBefore, window);
        if (run < 0)
            run = ~run - 1; // the last run starting at or before this window
        int start = video.Runs[run].Start + (int)(window - video.WindowsBefore[run]);
        var frames = new ClipFrame[ClipLength];
        for (int i = 0; i < ClipLength; i++)
        {
            int f = start + i;
            frames[i] = new ClipFrame(f, video.Track.ImagePath(f), video.Track.Label(f), Real: true).WithTaskLabels(video.Track, f);
        }
        return new Clip(video.Track.Stem, start, frames);
    }
}
