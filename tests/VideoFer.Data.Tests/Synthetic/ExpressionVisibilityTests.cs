using System.Runtime.InteropServices;
using OpenCvSharp;
using VideoFer.Data.Randomness;
using VideoFer.Data.Synthetic;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>The class is in the pixels: measured on rendered faces and on the written dataset, without any training.</summary>
[Collection(SynthDatasetCollection.Name)]
public class ExpressionVisibilityTests(SynthDatasetFixture data)
{
    const int Size = 112;

    static Mat Render(FaceIdentity id, Expression e, double intensity) =>
        new FaceRenderer(Size).Render(id, FrameScene.Clean(id.RestingFace + intensity * ExpressionActions.For(e)));

    static byte[] Bgr(Mat m)
    {
        var buf = new byte[m.Rows * m.Cols * 3];
        Marshal.Copy(m.Data, buf, 0, buf.Length);
        return buf;
    }

    /// <summary>Vertical position of the mouth's centre minus that of its corners, in pixels, from the
    /// pixels that differ from the skin in a box around the mouth: positive when the corners are higher
    /// (a smile), negative when they are lower (a frown).</summary>
    static double CornerLift(Mat img, FaceIdentity id)
    {
        var px = Bgr(img);
        double unit = 0.42 * Size, cx = Size / 2.0, cy = Size * 0.53;
        double centreSum = 0, cornerSum = 0;
        int centreN = 0, cornerN = 0;
        for (int y = (int)(cy + 0.3 * unit); y < (int)(cy + 0.8 * unit); y++)
            for (int x = 0; x < Size; x++)
            {
                int i = 3 * (y * Size + x);
                double d = Math.Abs(px[i] - id.Skin.Val0) + Math.Abs(px[i + 1] - id.Skin.Val1) + Math.Abs(px[i + 2] - id.Skin.Val2);
                if (d < 60) continue;
                double ax = Math.Abs(x - cx) / unit;
                if (ax < 0.1) { centreSum += y; centreN++; }
                else if (ax is > 0.18 and < 0.30) { cornerSum += y; cornerN++; }
            }
        Assert.True(centreN > 0 && cornerN > 0, "no mouth pixels found");
        return centreSum / centreN - cornerSum / cornerN;
    }

    [Fact]
    public void HappyCornersRiseAndSadCornersFallInTheMouthRegion()
    {
        for (int p = 0; p < 10; p++)
        {
            var id = FaceIdentity.Sample(new SeededRandom((ulong)p));
            using var neutral = Render(id, Expression.Neutral, 0);
            using var happy = Render(id, Expression.Happiness, 1);
            using var sad = Render(id, Expression.Sadness, 1);
            double n = CornerLift(neutral, id), h = CornerLift(happy, id), s = CornerLift(sad, id);
            Assert.True(h > n + 2, $"person {p}: happy {h:F2} vs neutral {n:F2}");
            Assert.True(s < n - 2, $"person {p}: sad {s:F2} vs neutral {n:F2}");
        }
    }

    static double MeanAbsDiff(Mat a, Mat b)
    {
        var x = Bgr(a);
        var y = Bgr(b);
        long sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Math.Abs(x[i] - y[i]);
        return sum / (double)x.Length;
    }

    [Fact]
    public void ApexFacesDifferBetweenEveryPairOfClassesButFaintOnesBarelyDo()
    {
        for (int p = 0; p < 5; p++)
        {
            var id = FaceIdentity.Sample(new SeededRandom(100 + (ulong)p));
            var apex = Enumerable.Range(0, 7).Select(c => Render(id, (Expression)c, 1)).ToArray();
            var faint = Enumerable.Range(0, 7).Select(c => Render(id, (Expression)c, 0.1)).ToArray();
            for (int a = 0; a < 7; a++)
                for (int b = a + 1; b < 7; b++)
                {
                    double atApex = MeanAbsDiff(apex[a], apex[b]), atFaint = MeanAbsDiff(faint[a], faint[b]);
                    Assert.True(atApex > 1.2, $"person {p}: {(Expression)a} and {(Expression)b} differ by only {atApex:F2} grey levels per pixel at apex");
                    Assert.True(atFaint < 0.45 * atApex, $"person {p}: {(Expression)a}/{(Expression)b} faint {atFaint:F2} vs apex {atApex:F2}");
                }
            foreach (var m in apex.Concat(faint)) m.Dispose();
        }
    }

    /// <summary>The corner lift (see <see cref="CornerLift"/>) of a frame read back from disk, in face units,
    /// with the mouth box placed by the frame's scripted head pose and the skin colour lit like the frame.</summary>
    static double CornerLiftOnDisk(string jpeg, FaceIdentity id, FrameScene scene)
    {
        using var img = Cv2.ImRead(jpeg);
        var px = Bgr(img);
        int size = img.Rows;
        var frame = new FaceRenderer.FaceFrame(size, scene.Pose);
        var light = scene.Light;
        double centreSum = 0, cornerSum = 0;
        int centreN = 0, cornerN = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                var (fx, fy) = frame.Unmap(x, y);
                if (fy < id.MouthY - 0.2 || fy > id.MouthY + 0.3) continue;
                double ax = Math.Abs(fx);
                bool centre = ax < 0.1, corner = ax is > 0.18 and < 0.30;
                if (!centre && !corner) continue;
                double k = light.Gain * (1 + light.GradientX * (x / (double)(size - 1) - 0.5) + light.GradientY * (y / (double)(size - 1) - 0.5));
                int i = 3 * (y * size + x);
                double d = Math.Abs(px[i] - id.Skin.Val0 * k * (1 - 0.12 * light.Warmth)) + Math.Abs(px[i + 1] - id.Skin.Val1 * k)
                         + Math.Abs(px[i + 2] - Math.Min(255, id.Skin.Val2 * k * (1 + 0.12 * light.Warmth)));
                if (d < 70) continue;
                if (centre) { centreSum += fy; centreN++; }
                else { cornerSum += fy; cornerN++; }
            }
        return centreN == 0 || cornerN == 0 ? double.NaN : centreSum / centreN - cornerSum / cornerN;
    }

    [Fact]
    public void WrittenHappinessFramesSmileAndSadnessFramesFrown()
    {
        // Rebuild the generator's plan and scripts (deterministic) to know each frame's pose and light.
        var lifts = new Dictionary<int, List<double>> { [4] = [], [5] = [] };
        foreach (var track in SynthPlan.Create(data.Options))
        {
            var script = TrackScript.Generate(track.FrameCount, track.Identity, track.Timeline,
                SeededRandom.Derive(data.Options.Seed, SynthPlan.StreamScript, track.Index));
            foreach (var f in script)
            {
                if (!f.HasImage || f.Occluded || f.Intensity < 0.8 || f.Scene.BlurSigma > 0 || !lifts.TryGetValue(f.Label, out var list)) continue;
                Assert.Equal(data.Meta[track.Stem][f.Frame - 1].Label, f.Label);
                double lift = CornerLiftOnDisk(Path.Combine(data.Root, "cropped_aligned", track.Stem, $"{f.Frame:D5}.jpg"), track.Identity, f.Scene);
                if (!double.IsNaN(lift)) list.Add(lift);
            }
        }
        Assert.True(lifts[4].Count > 20 && lifts[5].Count > 20, $"{lifts[4].Count} happy, {lifts[5].Count} sad apex frames");
        double happyAbove = lifts[4].Count(v => v > 0.03) / (double)lifts[4].Count;
        double sadBelow = lifts[5].Count(v => v < -0.03) / (double)lifts[5].Count;
        Assert.True(happyAbove > 0.9, $"only {happyAbove:P0} of happy apex frames lift the corners (mean {lifts[4].Average():F3})");
        Assert.True(sadBelow > 0.9, $"only {sadBelow:P0} of sad apex frames lower the corners (mean {lifts[5].Average():F3})");
    }

    [Fact]
    public void TheDatasetHasAmbiguousAndOccludedFramesOnTheirOwn()
    {
        var labelled = data.Meta.Values.SelectMany(m => m).Where(m => m.Label >= 0).ToArray();
        double faint = labelled.Count(m => m.Label != 0 && m.Intensity < 0.4) / (double)labelled.Length;
        double occluded = labelled.Count(m => m.Occluded) / (double)labelled.Length;
        Assert.InRange(faint, 0.02, 0.2);
        Assert.InRange(occluded, 0.002, 0.1);
        // Occlusions are short: most occluded frames have an unoccluded frame within 4 frames.
        foreach (var track in data.Meta.Values)
            for (int i = 0; i < track.Length; i++)
                if (track[i].Occluded)
                    Assert.Contains(track.Skip(Math.Max(0, i - 4)).Take(9), m => !m.Occluded);
    }
}
