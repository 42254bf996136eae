using VideoFer.Data.Images;
using static TorchSharp.torch;

namespace VideoFer.Inference.Predictors;

/// <summary>Face crops to calibrate int8 on (--calibrate DIR): every image of a folder, preprocessed as
/// the checkpoint's faces are (resized, centre-cropped, normalised), and packed into clips.</summary>
public static class CalibrationImages
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];

    /// <summary>At most this many images are read (sorted by name, evenly picked when there are more).</summary>
    public const int MaxImages = 256;

    /// <summary>The folder's images as network inputs (3 x crop x crop floats each). A missing folder, a
    /// folder without images or an image that does not decode is a <see cref="VideoFerException"/> naming it.</summary>
    public static List<float[]> Load(string folder, ImageTransform transform)
    {
        if (!Directory.Exists(folder))
            throw VideoFerException.InFile(folder, "--calibrate: no such folder (a folder of face crops to calibrate int8 on)");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw VideoFerException.InFile(folder, $"--calibrate: holds no face images ({string.Join(", ", Extensions)}) to calibrate int8 on");
        if (files.Count > MaxImages)
            files = Enumerable.Range(0, MaxImages).Select(i => files[(int)((long)i * files.Count / MaxImages)]).ToList();
        var result = new List<float[]>(files.Count);
        foreach (var file in files)
        {
            using var image = ImageDecoder.TryRead(file) ?? throw VideoFerException.InFile(file, "--calibrate: cannot be decoded as an image");
            var pixels = new float[transform.Options.ImageFloats];
            transform.Apply(image, AugmentParams.Center(transform.Options), pixels);
            result.Add(pixels);
        }
        return result;
    }

    /// <summary>The faces as clips (1, length, 3, side, side), in order; the last clip is filled by
    /// starting over, so every calibration input is a real face.</summary>
    public static IEnumerable<Tensor> Clips(IReadOnlyList<float[]> faces, int length, int side)
    {
        int floats = 3 * side * side;
        for (int start = 0; start < faces.Count; start += length)
        {
            var clip = new float[(long)length * floats];
            for (int s = 0; s < length; s++)
                faces[(start + s) % faces.Count].CopyTo(clip, (long)s * floats);
            yield return tensor(clip, [1, length, 3, side, side]);
        }
    }
}
