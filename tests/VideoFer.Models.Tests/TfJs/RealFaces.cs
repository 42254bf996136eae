using OpenCvSharp;
using VideoFer.Models.Expressions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Real face crops at fixed boxes, chosen by looking at the pictures: Messi in messi5.jpg and
/// faces in frames of Megamind.avi (both from Debian's opencv-doc, fetched into tests/fixtures/media by
/// scripts/fetch-test-media.sh). Boxes are square and loose, as a face detector's enlarged box is.</summary>
public static class RealFaces
{
    public sealed record Box(string Name, string File, int Frame, int X, int Y, int Size);

    public static readonly IReadOnlyList<Box> Boxes =
    [
        new("messi", "messi5.jpg", -1, 213, 83, 54),
        new("megamind-f30-woman", "Megamind.avi", 30, 205, 140, 200),
        new("megamind-f90-woman", "Megamind.avi", 90, 200, 105, 210),
        new("megamind-f90-man-blurred", "Megamind.avi", 90, 452, 160, 86),
        new("megamind-f150-man", "Megamind.avi", 150, 385, 145, 215),
        new("megamind-f210-man-close", "Megamind.avi", 210, 215, 40, 360),
    ];

    static readonly Lazy<IReadOnlyList<(string Name, FaceCrop Crop)>> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The crops as BGR (OpenCV's order), each with its own contiguous buffer.</summary>
    public static IReadOnlyList<(string Name, FaceCrop Crop)> Crops => Loaded.Value;

    static IReadOnlyList<(string, FaceCrop)> Load()
    {
        string media = TestMedia.Folder;
        var frames = new Dictionary<(string, int), Mat>();
        try
        {
            var result = new List<(string, FaceCrop)>();
            foreach (var box in Boxes)
            {
                if (!frames.TryGetValue((box.File, box.Frame), out var image))
                    frames[(box.File, box.Frame)] = image = Read(Path.Combine(media, box.File), box.Frame);
                using var roi = new Mat(image, new Rect(box.X, box.Y, box.Size, box.Size));
                using var crop = roi.Clone();
                var bytes = new byte[box.Size * box.Size * 3];
                System.Runtime.InteropServices.Marshal.Copy(crop.Data, bytes, 0, bytes.Length);
                result.Add((box.Name, new FaceCrop(bytes, box.Size, box.Size, ChannelOrder.Bgr)));
            }
            return result;
        }
        finally
        {
            foreach (var m in frames.Values) m.Dispose();
        }
    }

    // Frames are read one after another from the start: seeking in AVI may land on a key frame instead.
    static Mat Read(string path, int frame)
    {
        if (frame < 0)
        {
            var image = Cv2.ImRead(path);
            if (image.Empty()) throw new InvalidOperationException($"cannot read {path}");
            return image;
        }
        using var capture = new VideoCapture(path);
        var mat = new Mat();
        for (int i = 0; i <= frame; i++)
            if (!capture.Read(mat) || mat.Empty()) throw new InvalidOperationException($"{path}: no frame {i}");
        return mat;
    }
}
