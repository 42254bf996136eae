using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Alignment;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Alignment;

[Collection("detector")]
public class FaceAlignerTests(DetectorFixture detectors, ITestOutputHelper output)
{
    static readonly FaceKeypoint[] Used = FaceTemplate.Keypoints;

    /// <summary>A face whose keypoints are the template itself moved by a known similarity.</summary>
    static FaceDetection Synthetic(double angleDeg, double scale, double tx, double ty, int templateSize)
    {
        double a = angleDeg * Math.PI / 180, c = Math.Cos(a) * scale, s = Math.Sin(a) * scale;
        var t = FaceTemplate.Default.Points(templateSize);
        var kp = new Point2f[6];
        for (int i = 0; i < 4; i++)
            kp[(int)Used[i]] = new Point2f((float)(c * t[i].X - s * t[i].Y + tx), (float)(s * t[i].X + c * t[i].Y + ty));
        kp[4] = kp[0]; kp[5] = kp[1]; // ears are ignored by the aligner
        return new FaceDetection(new Rect2f(0, 0, 1, 1), kp, 1);
    }

    [Theory]
    [InlineData(0, 1, 0, 0)]
    [InlineData(25, 0.5, 300, 120)]
    [InlineData(-40, 2.3, -50, 400)]
    public void Recovers_a_known_similarity_exactly(double angle, double scale, double tx, double ty)
    {
        var aligner = new FaceAligner();
        foreach (int size in new[] { 112, 256 })
        {
            var face = Synthetic(angle, scale, tx, ty, 100);
            using var m = aligner.Transform(face, size);
            var target = FaceTemplate.Default.Points(size);
            for (int i = 0; i < 4; i++)
            {
                var p = FaceAligner.Apply(m, face[Used[i]]);
                Assert.True(p.DistanceTo(target[i]) < 0.05, $"{Used[i]}: {p} vs {target[i]}");
            }
        }
    }

    [Fact]
    public void Crop_has_the_requested_size_and_content_where_the_face_is()
    {
        using var image = new Mat(400, 400, MatType.CV_8UC3, Scalar.All(0));
        var face = Synthetic(10, 1.5, 100, 80, 100);
        // paint a white disc at the left-eye keypoint: it must land at the template's left eye
        image.Circle((Point)face[FaceKeypoint.LeftEye], 6, Scalar.All(255), -1);
        var aligner = new FaceAligner();
        using var crop = aligner.Align(image, face, 112);
        Assert.Equal(new Size(112, 112), crop.Size());
        var eye = FaceTemplate.Default.LeftEye;
        Assert.True(crop.At<Vec3b>((int)(eye.Y * 112), (int)(eye.X * 112)).Item0 > 200);
        Assert.True(crop.At<Vec3b>((int)(FaceTemplate.Default.RightEye.Y * 112), (int)(FaceTemplate.Default.RightEye.X * 112)).Item0 < 50);
    }

    [Fact]
    public void Degenerate_keypoints_still_give_a_transform()
    {
        var kp = Enumerable.Repeat(new Point2f(50, 50), 6).ToArray();
        using var m = new FaceAligner().Transform(new FaceDetection(new Rect2f(40, 40, 20, 20), kp, 1), 112);
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Cols);
    }

    [Fact]
    public void Puts_Messis_eyes_at_the_template_positions()
    {
        using var image = Cv2.ImRead(TestMedia.Messi);
        var face = detectors.Plain.Detect(image).OrderByDescending(f => f.Score).First();
        var aligner = new FaceAligner();
        foreach (int size in new[] { 112, 256 })
        {
            using var m = aligner.Transform(face, size);
            var target = FaceTemplate.Default.Points(size);
            for (int i = 0; i < 2; i++)
            {
                double error = FaceAligner.Apply(m, face[Used[i]]).DistanceTo(target[i]);
                output.WriteLine($"{size}: {Used[i]} off by {error:F2} px");
                // a few pixels: four real keypoints never fit one template exactly
                Assert.True(error < 0.03f * size, $"{Used[i]} off by {error:F1} px at {size}");
            }
            using var crop = aligner.Align(image, face, size);
            Assert.Equal(size, crop.Width);
        }
    }
}
