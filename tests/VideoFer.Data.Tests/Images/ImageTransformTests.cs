using VideoFer.Data.Images;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Tests.Images;

public class ImageTransformTests
{
    static float[] Load(FrameLoader loader, string path, AugmentParams p)
    {
        var chw = new float[loader.Options.ImageFloats];
        Assert.True(loader.TryLoad(path, p, chw));
        return chw;
    }

    [Fact]
    public void EvaluationIsCentreCropAndImageNetNormalisationInRgbOrder()
    {
        using var dir = new TempDir();
        var path = dir.Combine("rand.png");
        var src = TestImages.WriteRandom(path, 256, 3);
        var loader = new FrameLoader(new ImagePipelineOptions()); // 256 -> 224, offset 16
        var p = AugmentParams.Center(loader.Options);
        Assert.Equal((16, 16, false), (p.CropX, p.CropY, p.Flip));
        var chw = Load(loader, path, p);

        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        const int crop = 224, plane = crop * crop;
        double worst = 0;
        for (int c = 0; c < 3; c++)          // c = 0 is R, stored at BGR offset 2
            for (int y = 0; y < crop; y++)
                for (int x = 0; x < crop; x++)
                {
                    byte v = src[3 * ((y + 16) * 256 + x + 16) + (2 - c)];
                    double expected = (v / 255.0 - mean[c]) / std[c];
                    worst = Math.Max(worst, Math.Abs(chw[c * plane + y * crop + x] - expected));
                }
        Assert.True(worst < 1e-5, $"largest difference {worst}");
    }

    [Theory]
    [InlineData(100, 64, 18)]
    [InlineData(101, 64, 18)]
    [InlineData(64, 64, 0)]
    public void CentreCropOffsetIsHalfTheMarginRoundedDown(int baseSize, int crop, int offset)
    {
        using var dir = new TempDir();
        var path = dir.Combine("coords.png");
        TestImages.WriteCoordinates(path, baseSize);
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = baseSize, CropSize = crop });
        var chw = Load(loader, path, AugmentParams.Center(loader.Options));
        int plane = crop * crop;
        for (int y = 0; y < crop; y += 7)
            for (int x = 0; x < crop; x += 5)
            {
                // B carries x, G carries y.
                Assert.Equal(x + offset, TestImages.ToByteValue(chw[2 * plane + y * crop + x], 2), 2e-3);
                Assert.Equal(y + offset, TestImages.ToByteValue(chw[plane + y * crop + x], 1), 2e-3);
                Assert.Equal(200, TestImages.ToByteValue(chw[y * crop + x], 0), 2e-3);
            }
    }

    [Fact]
    public void CropAndFlipReadTheRightSourcePixels()
    {
        using var dir = new TempDir();
        var path = dir.Combine("coords.png");
        TestImages.WriteCoordinates(path, 120);
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = 120, CropSize = 64 });
        const int crop = 64, plane = crop * crop;
        var plain = Load(loader, path, new AugmentParams(30, 9, false, 1, 1, 1));
        var flipped = Load(loader, path, new AugmentParams(30, 9, true, 1, 1, 1));
        for (int y = 0; y < crop; y++)
            for (int x = 0; x < crop; x++)
            {
                Assert.Equal(30 + x, TestImages.ToByteValue(plain[2 * plane + y * crop + x], 2), 2e-3);
                Assert.Equal(30 + crop - 1 - x, TestImages.ToByteValue(flipped[2 * plane + y * crop + x], 2), 2e-3);
                Assert.Equal(9 + y, TestImages.ToByteValue(flipped[plane + y * crop + x], 1), 2e-3);
            }
    }

    [Fact]
    public void ResizingAUniformImageKeepsItUniform()
    {
        using var dir = new TempDir();
        var path = dir.Combine("uniform.png");
        TestImages.WriteUniform(path, 112, b: 10, g: 120, r: 240);
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = 144, CropSize = 128 });
        var chw = Load(loader, path, AugmentParams.Center(loader.Options));
        int plane = 128 * 128;
        byte[] rgb = [240, 120, 10];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                Assert.Equal(rgb[c], TestImages.ToByteValue(chw[c * plane + i], c), 2e-3);
    }

    [Fact]
    public void ColourJitterFollowsTheDefinitions()
    {
        using var dir = new TempDir();
        var path = dir.Combine("rand.png");
        var src = TestImages.WriteRandom(path, 64, 9);
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = 64, CropSize = 64 });
        const int plane = 64 * 64;
        double Src(int i, int c) => src[3 * i + (2 - c)] / 255.0;

        // Brightness alone: scale and clamp.
        var bright = Load(loader, path, new AugmentParams(0, 0, false, 1.3, 1, 1));
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(Math.Min(1, Src(i, c) * 1.3) * 255, TestImages.ToByteValue(bright[c * plane + i], c), 2e-3);

        // Contrast alone: blend with the mean luma of the image.
        double meanLuma = Enumerable.Range(0, plane).Average(i => 0.299 * Src(i, 0) + 0.587 * Src(i, 1) + 0.114 * Src(i, 2));
        var contrast = Load(loader, path, new AugmentParams(0, 0, false, 1, 0.7, 1));
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(((Src(i, c) - meanLuma) * 0.7 + meanLuma) * 255, TestImages.ToByteValue(contrast[c * plane + i], c), 2e-3);

        // Saturation 0 would be grey; a small factor pulls channels towards each pixel's luma.
        var pale = Load(loader, path, new AugmentParams(0, 0, false, 1, 1, 0.8));
        for (int i = 0; i < plane; i++)
        {
            double l = 0.299 * Src(i, 0) + 0.587 * Src(i, 1) + 0.114 * Src(i, 2);
            for (int c = 0; c < 3; c++)
                Assert.Equal(Math.Clamp((Src(i, c) - l) * 0.8 + l, 0, 1) * 255, TestImages.ToByteValue(pale[c * plane + i], c), 2e-3);
        }
    }

    [Fact]
    public void TrainingAugmentationStaysInRangeAndIsSeeded()
    {
        var o = new ImagePipelineOptions { BaseSize = 256, CropSize = 224, Brightness = 0.2, Contrast = 0.3, Saturation = 0.1 };
        var rng = new SeededRandom(1);
        var draws = Enumerable.Range(0, 2000).Select(_ => AugmentParams.Sample(o, rng)).ToArray();
        Assert.All(draws, p =>
        {
            Assert.InRange(p.CropX, 0, 32);
            Assert.InRange(p.CropY, 0, 32);
            Assert.InRange(p.Brightness, 0.8, 1.2);
            Assert.InRange(p.Contrast, 0.7, 1.3);
            Assert.InRange(p.Saturation, 0.9, 1.1);
        });
        Assert.Contains(draws, p => p.CropX == 0);
        Assert.Contains(draws, p => p.CropX == 32);
        Assert.InRange(draws.Count(p => p.Flip) / 2000.0, 0.45, 0.55);
        var again = new SeededRandom(1);
        Assert.Equal(draws.Take(50), Enumerable.Range(0, 50).Select(_ => AugmentParams.Sample(o, again)));
        Assert.DoesNotContain(Enumerable.Range(0, 100).Select(_ => AugmentParams.Sample(o with { HorizontalFlip = false }, rng)), p => p.Flip);
    }

    [Theory]
    [InlineData(256, 63)]
    [InlineData(100, 112)]
    public void BadSizesAreRejectedWithAClearMessage(int baseSize, int crop)
    {
        var e = Assert.Throws<VideoFerException>(() => new FrameLoader(new ImagePipelineOptions { BaseSize = baseSize, CropSize = crop }));
        Assert.Contains("crop size", e.Message);
    }

    [Fact]
    public void MissingAndUnreadableImagesAreZerosAndCounted()
    {
        using var dir = new TempDir();
        var garbage = dir.Combine("garbage.jpg");
        File.WriteAllBytes(garbage, [0xFF, 0xD8, 1, 2, 3, 4, 5]);
        var empty = dir.Combine("empty.jpg");
        File.WriteAllBytes(empty, []);
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = 72, CropSize = 64 });
        foreach (var path in new[] { garbage, empty, dir.Combine("absent.jpg"), null })
        {
            var chw = Enumerable.Repeat(7f, loader.Options.ImageFloats).ToArray();
            Assert.False(loader.TryLoad(path, AugmentParams.Center(loader.Options), chw));
            Assert.All(chw, v => Assert.Equal(0f, v));
        }
        Assert.Equal(4, loader.MissingImages);
    }

    [Fact]
    public void GreyscaleFilesLoadAsThreeEqualChannels()
    {
        using var dir = new TempDir();
        var path = dir.Combine("grey.png");
        using (var grey = new OpenCvSharp.Mat(64, 64, OpenCvSharp.MatType.CV_8UC1, new OpenCvSharp.Scalar(77)))
            Assert.True(OpenCvSharp.Cv2.ImWrite(path, grey));
        var loader = new FrameLoader(new ImagePipelineOptions { BaseSize = 64, CropSize = 64 });
        var chw = Load(loader, path, AugmentParams.Center(loader.Options));
        for (int c = 0; c < 3; c++)
            Assert.Equal(77, TestImages.ToByteValue(chw[c * 64 * 64 + 100], c), 2e-3);
    }
}
