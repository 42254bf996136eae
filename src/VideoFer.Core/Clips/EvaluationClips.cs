using VideoFer.Datasets;

namespace VideoFer.Clips;

/// <summary>The evaluation arrangement of the paper (§IV-D): a track is cut into consecutive clips of
/// L frames from frame 1; the last clip is padded with slots whose <see cref="ClipFrame.Real"/> is false
/// (frame 0, no image, label -1 — the network sees zeros there and their outputs are dropped). Every
/// real frame appears in exactly one clip, so each is classified exactly once.</summary>
public static class EvaluationClips
{
    /// <param name="fillMissingImages">Give frames without an image the image of the nearest frame that has
    /// one (<see cref="NearestFrameFill"/>), so the recurrent head sees an unbroken sequence; such slots
    /// carry <see cref="ClipFrame.ImageFromFrame"/>. When false, their <see cref="ClipFrame.ImagePath"/> stays null.</param>
    public static IReadOnlyList<Clip> Arrange(VideoTrack track, int clipLength = 8, bool fillMissingImages = true)
    {
        ValidWindows.CheckLength(clipLength);
        var sources = fillMissingImages ? NearestFrameFill.Sources(track.ImageMask) : null;
        var clips = new List<Clip>((track.FrameCount + clipLength - 1) / clipLength);
        for (int start = 1; start <= track.FrameCount; start += clipLength)
        {
            var frames = new ClipFrame[clipLength];
            for (int i = 0; i < clipLength; i++)
            {
                int f = start + i;
                if (f > track.FrameCount)
                {
                    frames[i] = new ClipFrame(0, null, -1, Real: false);
                    continue;
                }
                int source = sources?[f - 1] ?? f;
                frames[i] = (source == f || source == 0
                    ? new ClipFrame(f, track.ImagePath(f), track.Label(f), Real: true)
                    : new ClipFrame(f, track.ImagePath(source), track.Label(f), Real: true) { ImageFromFrame = source })
                    .WithTaskLabels(track, f);
            }
            clips.Add(new Clip(track.Stem, start, frames));
        }
        return clips;
    }

    /// <summary>Collects one output per real slot back into an array indexed by frame - 1.</summary>
    /// <param name="output">The output for (clip index, slot index).</param>
    public static T[] ToFrames<T>(IReadOnlyList<Clip> clips, int frameCount, Func<int, int, T> output)
    {
        var frames = new T[frameCount];
        var seen = new bool[frameCount];
        for (int c = 0; c < clips.Count; c++)
            for (int s = 0; s < clips[c].Length; s++)
            {
                var slot = clips[c].Frames[s];
                if (!slot.Real)
                    continue;
                if (slot.Frame < 1 || slot.Frame > frameCount || seen[slot.Frame - 1])
                    throw new ArgumentException($"frame {slot.Frame} is outside 1..{frameCount} or appears twice", nameof(clips));
                seen[slot.Frame - 1] = true;
                frames[slot.Frame - 1] = output(c, s);
            }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
            throw new ArgumentException($"frame {missing + 1} is in no clip", nameof(clips));
        return frames;
    }
}
