using OpenCvSharp;
using VideoFer.Inference.Outputs;

namespace VideoFer.Inference.Tests;

/// <summary>Why the annotated video goes through the system ffmpeg, and that what it writes is what browsers play.</summary>
public class BrowserVideoTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-browser-video-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The FFmpeg inside OpenCvSharp's runtime cannot write a codec browsers play: no H.264 (its only
    /// encoder is a hardware one, h264_v4l2m2m, with no device here), no VP8/VP9, no AV1; only mp4v opens. If
    /// this fails, a later runtime gained an encoder and <see cref="FfmpegEncoder"/> may no longer be needed.</summary>
    [Fact]
    public void OpenCvsOwnFfmpegWritesNoBrowserCodec()
    {
        foreach (var (codec, extension) in new[] { ("avc1", "mp4"), ("H264", "mp4"), ("X264", "mp4"), ("VP90", "webm"), ("VP80", "webm"), ("AV01", "mp4") })
        {
            using var writer = new VideoWriter(Path.Combine(dir, $"{codec}.{extension}"), FourCC.FromString(codec), 25, new Size(64, 48));
            Assert.False(writer.IsOpened(), $"OpenCV's FFmpeg opened a {codec} writer");
        }
        using var mp4v = new VideoWriter(Path.Combine(dir, "mp4v.mp4"), FourCC.FromString("mp4v"), 25, new Size(64, 48));
        Assert.True(mp4v.IsOpened());
    }

    /// <summary>Debian's ffmpeg (installed by scripts/setup.sh) writes H.264 in yuv420p, odd sides padded to even,
    /// every frame, the colours kept.</summary>
    [Fact]
    public void TheSystemFfmpegWritesH264WithEvenSidesAndEveryFrame()
    {
        var ffmpeg = FfmpegEncoder.Find();
        Assert.True(ffmpeg.Program is not null, $"no usable ffmpeg: {ffmpeg.WhyNot}");
        string path = Path.Combine(dir, "odd.mp4");
        using (var encoder = new FfmpegEncoder(ffmpeg.Program!, path, 65, 49, 12.5))
        {
            for (int i = 0; i < 20; i++)
            {
                using var frame = new Mat(49, 65, MatType.CV_8UC3, i < 10 ? new Scalar(0, 0, 255) : new Scalar(255, 0, 0)); // red, then blue (BGR)
                encoder.Write(frame);
            }
            encoder.Finish();
        }
        using var video = new VideoCapture(path);
        Assert.True(video.IsOpened());
        Assert.Equal("h264", video.FourCC.ToLowerInvariant());
        Assert.Equal(66, video.FrameWidth);
        Assert.Equal(50, video.FrameHeight);
        Assert.Equal(12.5, video.Fps, 3);
        var colours = new List<Vec3b>();
        using var read = new Mat();
        while (video.Read(read) && !read.Empty()) colours.Add(read.At<Vec3b>(24, 32));
        Assert.Equal(20, colours.Count);
        Assert.True(colours[0].Item2 > 200 && colours[0].Item0 < 60, $"frame 1 should be red, is BGR {colours[0]}");
        Assert.True(colours[19].Item0 > 200 && colours[19].Item2 < 60, $"frame 20 should be blue, is BGR {colours[19]}");
    }

    /// <summary>VIDEOFER_FFMPEG names the program or turns it off, else PATH is searched; a wrong path is said, not crashed on.</summary>
    [Fact]
    public void TheVariableChoosesOrHidesFfmpeg()
    {
        FfmpegEncoder.Availability With(string? setting, string path = "/usr/bin") =>
            FfmpegEncoder.Find(name => name == FfmpegEncoder.Variable ? setting : name == "PATH" ? path : null);
        Assert.Equal(new FfmpegEncoder.Availability("/usr/bin/ffmpeg", null), With(null));
        Assert.Equal(new FfmpegEncoder.Availability(null, "ffmpeg was not found on PATH (apt-get install ffmpeg)"), With(null, dir));
        Assert.Equal(new FfmpegEncoder.Availability(null, "VIDEOFER_FFMPEG=none"), With("none"));
        string missing = Path.Combine(dir, "no-ffmpeg");
        Assert.Equal(new FfmpegEncoder.Availability(null, $"VIDEOFER_FFMPEG={missing}: no such file"), With(missing));
        // A program without libx264 (here: one that lists no encoder at all).
        Assert.Equal(new FfmpegEncoder.Availability(null, "/bin/true has no libx264 encoder"), With("/bin/true"));
    }
}
