using System.Diagnostics;
using OpenCvSharp;
using VideoFer.Formats;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Video;

/// <summary>Defect 9: a 30000x30000 PNG of under 1 MB took 5.5 GB to decode. Pictures over
/// <see cref="FrameSize.MaxPixels"/> are refused from their header, before decoding.</summary>
public class FrameSizeTests(ITestOutputHelper output) : TempFolderTest
{
    /// <summary>The header reader agrees with OpenCV's decoder on real JPEGs and a PNG, and on a BMP written by OpenCV.</summary>
    [Fact]
    public void Headers_give_the_decoded_size()
    {
        var folder = dir;
        string bmp = System.IO.Path.Combine(folder, "messi5.bmp");
        using (var messi = Cv2.ImRead(TestMedia.Messi)) Cv2.ImWrite(bmp, messi);
        foreach (var path in new[] { TestMedia.Messi, TestMedia.Board, TestMedia.Chessboard, bmp })
        {
            using var decoded = Cv2.ImRead(path, ImreadModes.Unchanged);
            Assert.Equal(((long)decoded.Width, (long)decoded.Height), FrameSize.ReadHeader(path));
        }
        Assert.Null(FrameSize.ReadHeader(TestMedia.Megamind)); // not a picture
    }

    [Fact]
    public void A_30000_pixel_square_png_of_a_few_hundred_KB_is_refused_before_decoding()
    {
        var folder = dir;
        // The writer is right: OpenCV decodes a small picture it made.
        string small = TestPictures.BlackPng(System.IO.Path.Combine(folder, "small.png"), 300, 200);
        using (var decoded = Cv2.ImRead(small)) Assert.Equal(new Size(300, 200), decoded.Size());

        string huge = TestPictures.BlackPng(System.IO.Path.Combine(folder, "huge.png"), 30000, 30000);
        long bytes = new FileInfo(huge).Length;
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<VideoFerException>(() => new ImageFileSource(huge));
        output.WriteLine($"{bytes / 1024} KB file refused in {clock.Elapsed.TotalMilliseconds:0} ms: {e.Message}");
        Assert.Equal($"{huge}: 30000x30000 pixels is over the limit of 100 megapixels per image or frame; scale it down first", e.Message);
        Assert.True(bytes < 1 << 20, $"{bytes} bytes");
        // Refused from the header (the time is printed, not asserted: timing targets live in benchmarks).
        Assert.Throws<VideoFerException>(() => MediaSource.Open(huge));
    }
}
