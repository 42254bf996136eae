using System.Diagnostics;
using VideoFer.Data.Images;

namespace VideoFer.Data.Tests.Images;

/// <summary>What a dataset's image files can be: a real picture, a damaged file, a decompression bomb.</summary>
public class ImageDecoderTests : TempFolderTest
{
    [Fact]
    public void ARealPictureIsReadAndADamagedOneIsMissing()
    {
        using (var messi = ImageDecoder.TryRead(TestMedia.Messi))
        {
            Assert.NotNull(messi);
            Assert.Equal((548, 342), (messi.Width, messi.Height));
        }
        string damaged = Path.Combine(dir, "damaged.jpg");
        File.WriteAllBytes(damaged, File.ReadAllBytes(TestMedia.Messi)[..200]);
        Assert.Null(ImageDecoder.TryRead(damaged));
        Assert.Null(ImageDecoder.TryRead(Path.Combine(dir, "absent.jpg")));
    }

    /// <summary>A PNG of 30000x30000 pixels in a file of a few hundred KB took 5.5 GB to decode: it is missing,
    /// from its header, without the decoder's memory (decoded, it would be 2.7 GB of BGR).</summary>
    [Fact]
    public void APictureOverTheSizeLimitIsMissingWithoutBeingDecoded()
    {
        string huge = TestPictures.BlackPng(Path.Combine(dir, "huge.png"), 30000, 30000);
        using var process = Process.GetCurrentProcess();
        long before = process.PeakWorkingSet64;
        Assert.Null(ImageDecoder.TryRead(huge));
        process.Refresh();
        long grown = process.PeakWorkingSet64 - before;
        Assert.True(grown < 1L << 30, $"peak working set grew by {grown >> 20} MB");

        var loader = new FrameLoader(new ImagePipelineOptions());
        var chw = new float[3 * loader.Options.CropSize * loader.Options.CropSize];
        Assert.False(loader.TryLoad(huge, AugmentParams.Center(loader.Options), chw));
        Assert.Equal(1, loader.MissingImages);
    }
}
