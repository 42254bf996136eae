using VideoFer.Models.Expressions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Pixel layouts reach the same model input: channel order and row padding (an OpenCV Mat's step).</summary>
public class FaceCropTests
{
    [Fact]
    public void BgrAndPaddedRowsGiveTheSameInputAsContiguousRgb()
    {
        const int w = 37, h = 23, stride = 3 * w + 5;
        var random = new Random(3);
        var rgb = new byte[3 * w * h];
        random.NextBytes(rgb);
        var bgrPadded = new byte[stride * h];
        random.NextBytes(bgrPadded); // row padding holds junk that must not be read
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    bgrPadded[y * stride + 3 * x + (2 - c)] = rgb[3 * (y * w + x) + c];

        var a = EmotionPreprocessing.ToModelInput(new FaceCrop(rgb, w, h, ChannelOrder.Rgb), 64);
        var b = EmotionPreprocessing.ToModelInput(new FaceCrop(bgrPadded, w, h, ChannelOrder.Bgr, stride), 64);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void TooFewBytesIsRejected() =>
        Assert.Throws<ArgumentException>(() => new FaceCrop(new byte[10], 2, 2, ChannelOrder.Rgb));
}
