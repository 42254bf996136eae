using OpenCvSharp;
using VideoFer.Submissions;
using VideoFer.Vision.Video;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>The video again, with each face's box, person id (P2; coloured by person) and track id (#5) when
/// tracks were linked into people, else the track id, label and a small bar chart of the class probabilities. A second decoding pass, so memory stays one frame. MP4 for videos and
/// frame folders: H.264 that browsers play when an ffmpeg with libx264 is there (<see cref="FfmpegEncoder"/>), else
/// MPEG-4 Part 2 (mp4v) through OpenCV, which players such as VLC read but browsers do not; PNG for a single image.</summary>
public static class AnnotatedVideo
{
    /// <summary>The file written, and whether a browser can play it (with the reason when not). When it cannot,
    /// <see cref="Stills"/> are annotated frames as JPEG pictures that report.html plays instead.</summary>
    public sealed record Result(string Path, bool BrowserPlayable, string? WhyNotPlayable)
    {
        public IReadOnlyList<Still> Stills { get; init; } = [];
    }

    /// <summary>One annotated frame as a picture: its frame number, time and file.</summary>
    public sealed record Still(int Frame, double Time, string Path);

    /// <summary>The folder of the stills, beside the annotated video.</summary>
    public const string StillsFolder = "annotated_frames";

    /// <summary>Stills per second of video at most (a talking face changes little faster than this), and in all.
    /// An hour of video then gets one still every 6 s; 600 JPEGs of 640 pixels are about 25 MB.</summary>
    public const double StillsPerSecond = 4;
    public const int MaxStills = 600;
    const int StillWidth = 640;

    static readonly Scalar[] TrackColours =
    [
        new(80, 200, 255), new(255, 160, 60), new(120, 230, 120), new(230, 110, 230), new(90, 90, 255), new(255, 255, 100),
    ];

    public static string Write(string outputWithoutExtension, VideoPrediction prediction, CancellationToken ct = default) =>
        Encode(outputWithoutExtension, prediction, ct).Path;

    /// <summary>Writes the annotated video (or picture) and says whether browsers can play it.</summary>
    public static Result Encode(string outputWithoutExtension, VideoPrediction prediction, CancellationToken ct = default)
    {
        var ffmpeg = FfmpegEncoder.Find();
        using var source = MediaSource.Open(prediction.Source);
        var byFrame = prediction.Records.ToLookup(r => r.Frame);
        bool single = MediaSource.IsImagePath(prediction.Source);
        string path = outputWithoutExtension + (single ? ".png" : ".mp4");
        // Without a browser-playable video, every step-th frame is kept as a still for the page.
        bool stills = !single && ffmpeg.Program is null;
        int step = Math.Max(1, Math.Max((int)Math.Ceiling(prediction.VideoFps / StillsPerSecond), (int)Math.Ceiling((double)Math.Max(prediction.Frames, 1) / MaxStills)));
        string stillsDir = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, StillsFolder);
        var written = new List<Still>();
        AtomicFile.Write(path, temp =>
        {
            VideoWriter? writer = null;
            FfmpegEncoder? encoder = null;
            try
            {
                foreach (var frame in source.ReadFrames(ct))
                {
                    using (frame)
                    {
                        foreach (var r in byFrame[frame.Index]) Draw(frame.Image, r, prediction.ClassNames, prediction.PeopleLinked);
                        if (single) { Cv2.ImWrite(temp, frame.Image); continue; }
                        if (stills && (frame.Index - 1) % step == 0 && written.Count < MaxStills) written.Add(WriteStill(stillsDir, frame));
                        if (ffmpeg.Program is { } program)
                        {
                            encoder ??= new FfmpegEncoder(program, temp, frame.Image.Width, frame.Image.Height, prediction.VideoFps);
                            encoder.Write(frame.Image);
                            continue;
                        }
                        if (writer == null)
                        {
                            writer = new VideoWriter(temp, FourCC.FromString("mp4v"), prediction.VideoFps > 0 ? prediction.VideoFps : 25, frame.Image.Size());
                            if (!writer.IsOpened())
                                throw new VideoFerException($"{path}: OpenCV could not open an MP4 writer");
                        }
                        writer.Write(frame.Image);
                    }
                }
                encoder?.Finish();
            }
            finally
            {
                encoder?.Dispose();
                writer?.Release();
                writer?.Dispose();
            }
        });
        if (single) return new Result(path, true, null);
        return ffmpeg.Program is null
            ? new Result(path, false, $"{ffmpeg.WhyNot}, so annotated.mp4 is MPEG-4 Part 2, which browsers do not play (VLC does)") { Stills = written }
            : new Result(path, true, null);
    }

    static Still WriteStill(string folder, VideoFrame frame)
    {
        string file = System.IO.Path.Combine(folder, $"{frame.Index:000000}.jpg");
        AtomicFile.Write(file, temp =>
        {
            using var small = new Mat();
            var image = frame.Image;
            if (image.Width > StillWidth)
            {
                Cv2.Resize(image, small, new Size(StillWidth, (int)Math.Round((double)image.Height * StillWidth / image.Width)), interpolation: InterpolationFlags.Area);
                image = small;
            }
            if (!Cv2.ImWrite(temp, image, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80)))
                throw new VideoFerException($"{file}: OpenCV could not write the picture");
        });
        return new Still(frame.Index, frame.Time, file);
    }

    static void Draw(Mat image, PredictionRecord r, IReadOnlyList<string> names, bool people) =>
        Draw(image, r.Box, people ? $"P{r.Person} #{r.Track}" : $"#{r.Track}", people ? r.Person : r.Track, r.Probabilities, r.Label, names,
            r.ValenceArousal is { } va ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" V{va[0]:+0.00;-0.00} A{va[1]:+0.00;-0.00}") : "");

    /// <summary>One face on <paramref name="image"/>: its box in the colour of <paramref name="id"/>, who it is, its label
    /// and probability, and a bar per class below.</summary>
    /// <param name="extra">Appended to the label line (a multi-task checkpoint's valence and arousal).</param>
    internal static void Draw(Mat image, Rect2f faceBox, string who, int id, IReadOnlyList<float> probabilities, int label, IReadOnlyList<string> names,
        string extra = "")
    {
        var colour = TrackColours[(id - 1 + TrackColours.Length) % TrackColours.Length];
        var box = new Rect((int)faceBox.X, (int)faceBox.Y, (int)faceBox.Width, (int)faceBox.Height);
        Cv2.Rectangle(image, box, colour, 2);
        string text = $"{who} {names[label]} {probabilities[label]:0.00}{extra}";
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, 0.5, 1, out int baseline);
        var origin = new Point(box.X, Math.Max(size.Height + 4, box.Y - 4));
        Cv2.Rectangle(image, new Rect(origin.X, origin.Y - size.Height - 3, size.Width + 4, size.Height + baseline + 4), Scalar.Black, -1);
        Cv2.PutText(image, text, new Point(origin.X + 2, origin.Y), HersheyFonts.HersheySimplex, 0.5, colour, 1, LineTypes.AntiAlias);

        // Probability bars below the box: one column per class, labelled with its initial.
        const int barWidth = 9, barHeight = 30, gap = 2;
        int left = box.X, top = Math.Min(image.Rows - barHeight - 14, box.Bottom + 4);
        for (int k = 0; k < names.Count; k++)
        {
            int x = left + k * (barWidth + gap);
            int h = (int)Math.Round(probabilities[k] * barHeight);
            Cv2.Rectangle(image, new Rect(x, top, barWidth, barHeight), new Scalar(40, 40, 40), -1);
            Cv2.Rectangle(image, new Rect(x, top + barHeight - h, barWidth, h), k == label ? colour : new Scalar(200, 200, 200), -1);
            Cv2.PutText(image, names[k][..1], new Point(x + 1, top + barHeight + 11), HersheyFonts.HersheySimplex, 0.35, Scalar.White, 1, LineTypes.AntiAlias);
        }
    }
}
