using VideoFer.Submissions;
using VideoFer.Vision.Video;
using OpenCvSharp;
using VideoFer.IO;

namespace VideoFer.Performance;

/// <summary>Makes a long video for the memory measurement by looping the frames of a short one.</summary>
public static class LongVideo
{
    /// <summary>Writes <paramref name="minutes"/> of video at <paramref name="fps"/> frames/s to
    /// <paramref name="path"/> (MPEG-4 part 2), unless a file with that many frames is already there.
    /// Returns the number of frames.</summary>
    public static int Write(string source, string path, double minutes, double fps, IProgress<(int Done, int Total)>? progress = null)
    {
        int total = (int)Math.Round(minutes * 60 * fps);
        if (total < 1) throw new VideoFerException($"a long video of {minutes} min at {fps} frames/s has no frame");
        if (File.Exists(path))
        {
            using var existing = MediaSource.Open(path);
            if (Math.Abs(existing.FrameCount - total) <= 1) return total;
        }
        List<VideoFrame> frames;
        using (var input = MediaSource.Open(source))
            frames = input.ReadFrames().ToList();
        if (frames.Count == 0) throw VideoFerException.InFile(source, "has no frame");
        try
        {
            AtomicFile.Write(path, temp =>
            {
                string named = temp + Path.GetExtension(path); // FFmpeg picks the container by extension
                using (var writer = new VideoWriter(named, FourCC.FromString("mp4v"), fps, frames[0].Image.Size()))
                {
                    if (!writer.IsOpened()) throw VideoFerException.InFile(path, "cannot be written (no MPEG-4 encoder?)");
                    for (int i = 0; i < total; i++)
                    {
                        // Forwards then backwards through the source, so the loop has no jump cut.
                        int period = Math.Max(1, 2 * frames.Count - 2), k = i % period;
                        writer.Write(frames[k < frames.Count ? k : period - k].Image);
                        if (i % 100 == 0) progress?.Report((i, total));
                    }
                }
                File.Move(named, temp, overwrite: true);
            });
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
        return total;
    }
}
