using OpenCvSharp;
using VideoFer.Vision.Video;

namespace VideoFer.Vision.Tests.Video;

public class FrameSourceTests : IDisposable
{
    readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Megamind_streams_270_numbered_and_timed_frames()
    {
        using var source = MediaSource.Open(TestMedia.Megamind);
        Assert.IsType<VideoFileSource>(source);
        Assert.Equal("Megamind", source.Stem);
        Assert.Equal((720, 528), (source.Width, source.Height));
        Assert.Equal(23.976, source.Fps, 2);
        Assert.Equal(270, source.FrameCount);
        int expected = 1;
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                Assert.Equal(expected, frame.Index);
                Assert.Equal((expected - 1) / source.Fps, frame.Time, 6);
                Assert.Equal(720, frame.Image.Width);
                expected++;
            }
        Assert.Equal(271, expected);
    }

    [Fact]
    public void Frames_are_decoded_lazily_one_at_a_time()
    {
        using var source = new VideoFileSource(TestMedia.Megamind);
        using var first = source.ReadFrames().First(); // stops after one frame: no error, no full decode
        Assert.Equal(1, first.Index);
    }

    [Fact]
    public void A_folder_of_frames_plays_in_natural_order()
    {
        var folder = temp.NewFolder();
        foreach (var (name, value) in new[] { ("frame10.png", 30), ("frame2.png", 20), ("frame1.png", 10) })
        {
            using var img = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(value));
            img.SaveImage(Path.Combine(folder, name));
        }
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a frame");
        using var source = MediaSource.Open(folder, assumedFps: 10);
        Assert.IsType<ImageFolderSource>(source);
        var seen = source.ReadFrames().Select(f => { using (f) return (f.Index, f.Time, (int)f.Image.At<Vec3b>(0, 0).Item0); }).ToList();
        Assert.Equal([(1, 0.0, 10), (2, 0.1, 20), (3, 0.2, 30)], seen);
    }

    [Fact]
    public void A_single_image_is_a_one_frame_video()
    {
        using var source = MediaSource.Open(TestMedia.Messi);
        var frame = Assert.Single(source.ReadFrames());
        using (frame) Assert.Equal((1, 548, 342), (frame.Index, frame.Image.Width, frame.Image.Height));
    }

    [Theory]
    [InlineData("zero-length")]
    [InlineData("random-bytes")]
    [InlineData("truncated")]
    [InlineData("missing")]
    public void Bad_video_files_give_one_error_naming_the_file(string kind)
    {
        var path = Path.Combine(temp.NewFolder(), kind == "truncated" ? "Megamind-cut.avi" : "clip.mp4");
        switch (kind)
        {
            case "zero-length": File.WriteAllBytes(path, []); break;
            case "random-bytes": File.WriteAllBytes(path, Enumerable.Range(0, 20000).Select(i => (byte)new Random(i).Next(256)).ToArray()); break;
            case "truncated":
                var all = File.ReadAllBytes(TestMedia.Megamind);
                File.WriteAllBytes(path, all.AsSpan(0, all.Length * 2 / 5).ToArray());
                break;
        }
        var e = Assert.Throws<VideoFerException>(() =>
        {
            using var source = MediaSource.Open(path);
            foreach (var f in source.ReadFrames()) f.Dispose();
        });
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Folder_without_images_or_with_a_damaged_one_is_an_error_naming_it()
    {
        var empty = temp.NewFolder();
        var e1 = Assert.Throws<VideoFerException>(() => MediaSource.Open(empty));
        Assert.Contains(empty, e1.Message);

        var damaged = temp.NewFolder();
        File.Copy(TestMedia.Messi, Path.Combine(damaged, "00001.jpg"));
        var bad = Path.Combine(damaged, "00002.jpg");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5]);
        using var source = MediaSource.Open(damaged);
        var e2 = Assert.Throws<VideoFerException>(() => { foreach (var f in source.ReadFrames()) f.Dispose(); });
        Assert.Contains(bad, e2.Message);
    }

    [Theory]
    [InlineData(270, 270, false)]
    [InlineData(269, 270, false)] // OpenCV's count can be one off
    [InlineData(100, 270, true)]
    [InlineData(5, 0, false)]     // no declared count: nothing to compare
    public void Truncation_means_a_clear_shortfall(int decoded, int declared, bool truncated) =>
        Assert.Equal(truncated, VideoFileSource.IsTruncated(decoded, declared));
}
