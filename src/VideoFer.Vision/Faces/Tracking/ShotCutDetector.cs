using OpenCvSharp;

namespace VideoFer.Vision.Faces.Tracking;

/// <summary>Flags a shot cut when the hue-saturation histogram of a frame differs sharply from the
/// previous frame's (Bhattacharyya distance). After a cut the same place on screen is usually someone
/// else, so tracks must not continue across it.</summary>
public sealed class ShotCutDetector : IDisposable
{
    static readonly int[] Channels = [0, 1];
    static readonly int[] Bins = [16, 16];
    static readonly Rangef[] Ranges = [new(0, 180), new(0, 256)];

    Mat? _previous;

    /// <param name="threshold">Bhattacharyya distance in [0, 1] above which two frames are different shots.</param>
    public ShotCutDetector(double threshold = 0.2) => Threshold = threshold;

    public double Threshold { get; }

    /// <summary>Distance between the last two frames given to <see cref="IsCut"/> (0 for the first).</summary>
    public double LastDistance { get; private set; }

    /// <summary>True when <paramref name="bgrFrame"/> starts a new shot (never for the first frame).</summary>
    public bool IsCut(Mat bgrFrame)
    {
        var histogram = Histogram(bgrFrame);
        LastDistance = _previous is null ? 0 : Cv2.CompareHist(_previous, histogram, HistCompMethods.Bhattacharyya);
        _previous?.Dispose();
        _previous = histogram;
        return LastDistance > Threshold;
    }

    static Mat Histogram(Mat bgr)
    {
        // A small copy is enough for colour statistics and keeps this cheap next to detection.
        double scale = Math.Min(1.0, 160.0 / Math.Max(bgr.Width, bgr.Height));
        using var small = new Mat();
        Cv2.Resize(bgr, small, new Size(), scale, scale, InterpolationFlags.Area);
        using var hsv = new Mat();
        Cv2.CvtColor(small, hsv, ColorConversionCodes.BGR2HSV);
        var hist = new Mat();
        Cv2.CalcHist([hsv], Channels, null, hist, 2, Bins, Ranges);
        Cv2.Normalize(hist, hist, 1, 0, NormTypes.L1);
        return hist;
    }

    public void Dispose() => _previous?.Dispose();
}
