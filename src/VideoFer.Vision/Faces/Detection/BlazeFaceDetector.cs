using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>MediaPipe's BlazeFace run by OpenCV's DNN module on the whole frame and, for small faces,
/// on overlapping tiles, merged by (weighted) non-maximum suppression.</summary>
/// <remarks>Pre-processing follows MediaPipe's face-detection graph: the image is letterboxed (aspect
/// ratio kept, zero padding, centred) to the model's square input, RGB, scaled to [-1, 1]. Keeps no state
/// between images; following faces through a video is <see cref="VideoFaceSearch"/>'s.</remarks>
public sealed class BlazeFaceDetector : IFaceDetector
{
    readonly Net _net;
    readonly BlazeFaceSpec _spec;
    readonly BlazeFaceDecoder _decoder;
    readonly FaceDetectorOptions _options;
    readonly string[] _outputNames;
    readonly int[] _gridSizes;
    readonly float _minScore;
    // Raw outputs of one forward pass (all its images), and one image's share in anchor order.
    float[] _logits = [], _regressors = [];
    readonly float[] _imageLogits, _imageRegressors;

    public BlazeFaceDetector(FaceDetectorOptions? options = null)
    {
        _options = options ?? new FaceDetectorOptions();
        _options.Validate();
        _spec = BlazeFaceSpec.For(_options.Model);
        ModelPath = ModelLocator.Find(_spec.FileName, _options.ModelDirectory);
        try { _net = CvDnn.ReadNet(ModelPath); }
        catch (OpenCVException e) { throw VideoFerException.InFile(ModelPath, $"cannot load the face detector: {e.Message}"); }
        if (_net.Empty()) throw VideoFerException.InFile(ModelPath, "cannot load the face detector (empty network)");
        _net.SetPreferableBackend(Backend.OPENCV);
        _net.SetPreferableTarget(Target.CPU);
        _decoder = new BlazeFaceDecoder(SsdAnchors.Generate(_spec.Anchors), _spec.InputSize);
        _gridSizes = SsdAnchors.GridSizes(_spec.Anchors);
        _imageLogits = new float[_decoder.AnchorCount];
        _imageRegressors = new float[_decoder.AnchorCount * BlazeFaceDecoder.ValuesPerAnchor];
        _minScore = _options.MinScore ?? _spec.DefaultMinScore;
        // Two outputs, 1x(images*A)x1 classifier logits and 1x(images*A)x16 regressors; told apart by size.
        _outputNames = _net.GetUnconnectedOutLayersNames().Select(n => n!).ToArray();
        if (_outputNames.Length != 2)
            throw VideoFerException.InFile(ModelPath, $"expected a BlazeFace model with 2 outputs, found {_outputNames.Length}");
    }

    /// <summary>The .tflite file in use.</summary>
    public string ModelPath { get; }

    /// <summary>Side of the model's square input in pixels.</summary>
    public int InputSize => _spec.InputSize;

    public FaceDetectorOptions Options => _options;

    public IReadOnlyList<FaceDetection> Detect(Mat bgrImage) => Search(bgrImage).Faces;

    /// <summary>The full search: the whole frame and, when <paramref name="withTiles"/>, the tiles
    /// (<see cref="FaceDetectorOptions.TilesPerShortSide"/>), merged; with what it cost.</summary>
    /// <remarks>Where it finds nothing, the close-up pass (<see cref="FaceDetectorOptions.CloseUps"/>) and, with
    /// the tiles, the turned frames (<see cref="FaceDetectorOptions.TurnedFaces"/>) follow.</remarks>
    public FaceSearchResult Search(Mat bgrImage, bool withTiles = true) =>
        Search(bgrImage, withTiles, closeUps: _options.CloseUps, turned: withTiles && _options.TurnedFaces);

    /// <summary>The full search with the fallbacks chosen by the caller: the close-up pass where the whole frame
    /// and tiles find nothing, then (<paramref name="turned"/>) the same on the frame turned each way.</summary>
    public FaceSearchResult Search(Mat bgrImage, bool withTiles, bool closeUps, bool turned)
    {
        if (bgrImage.Empty()) return FaceSearchResult.Nothing;
        var found = SearchUpright(bgrImage, withTiles, closeUps);
        if (!turned) return found;
        int regions = found.Regions, passes = found.ForwardPasses;
        if (found.Faces.Count > 0)
        {
            // Faces lying on their side (a photo taken sideways): BlazeFace finds them, but their boxes and
            // keypoints are better in the frame turned so that they stand upright.
            if (UprightTurn(found.Faces) is not RotateFlags upright) return found;
            // The turned frame's faces (a sideways group photo: more of them stand upright there), and the first
            // search's faces it did not find again.
            using var image = Turn(bgrImage, upright);
            var again = SearchUpright(image, withTiles, closeUps);
            var measured = again.Faces.Select(f => TurnBack(f, upright, bgrImage.Width, bgrImage.Height)).ToList();
            var faces = measured.Concat(found.Faces.Where(f => !measured.Any(m => FaceDetection.IoU(m.Box, f.Box) > _options.NmsIoU)))
                .OrderByDescending(f => f.Score).ToList();
            return new FaceSearchResult(faces, regions + again.Regions, passes + again.ForwardPasses);
        }
        foreach (var turn in Turns)
        {
            using var image = Turn(bgrImage, turn);
            var again = SearchUpright(image, withTiles, closeUps);
            regions += again.Regions;
            passes += again.ForwardPasses;
            var sure = again.Faces.Where(f => f.Score >= _options.TurnedMinScore).ToList();
            if (sure.Count > 0)
                return new FaceSearchResult([.. sure.Select(f => TurnBack(f, turn, bgrImage.Width, bgrImage.Height))], regions, passes);
        }
        return new FaceSearchResult([], regions, passes);
    }

    /// <summary>Faces whose roll (the eyes' line against the x axis) is beyond this are measured again in the frame
    /// turned by a quarter or half turn.</summary>
    public const double SidewaysRollDegrees = 60;

    /// <summary>The turn that stands <paramref name="faces"/> upright when they all lie on their side or upside down
    /// (roll beyond <see cref="SidewaysRollDegrees"/>; the best face decides which way); null when any is upright.</summary>
    /// <param name="turnedBy">The faces' frame was turned by this before they were found (their rolls there are
    /// this much larger than in their own coordinates).</param>
    internal static RotateFlags? UprightTurn(IReadOnlyList<FaceDetection> faces, RotateFlags? turnedBy = null)
    {
        double offset = turnedBy switch
        {
            RotateFlags.Rotate90Clockwise => 90, RotateFlags.Rotate90Counterclockwise => -90, RotateFlags.Rotate180 => 180, _ => 0,
        };
        double RollThere(FaceDetection f) => Math.IEEERemainder(Roll(f) + offset, 360);
        if (faces.Count == 0 || faces.Any(f => Math.Abs(RollThere(f)) <= SidewaysRollDegrees)) return null;
        double roll = RollThere(faces.MaxBy(f => f.Score)!);
        // A face turned clockwise by 90 degrees in the image (roll +90) stands up when the frame turns back.
        return roll > 135 || roll < -135 ? RotateFlags.Rotate180 : roll > 0 ? RotateFlags.Rotate90Counterclockwise : RotateFlags.Rotate90Clockwise;
    }

    /// <summary>The angle of the line from the right eye to the left eye against the image's x axis, in degrees
    /// (0 upright, positive when the face is turned clockwise in the image, 180 upside down).</summary>
    public static double Roll(FaceDetection face)
    {
        var r = face[FaceKeypoint.RightEye];
        var l = face[FaceKeypoint.LeftEye];
        return Math.Atan2(l.Y - r.Y, l.X - r.X) * 180 / Math.PI;
    }

    /// <summary>The image turned by <paramref name="turn"/> (a new Mat).</summary>
    internal static Mat Turn(Mat image, RotateFlags turn)
    {
        var turned = new Mat();
        Cv2.Rotate(image, turned, turn);
        return turned;
    }

    /// <summary>The turns tried where no upright face is found: a quarter turn each way first (a phone held
    /// sideways), then upside down.</summary>
    internal static readonly RotateFlags[] Turns = [RotateFlags.Rotate90Clockwise, RotateFlags.Rotate90Counterclockwise, RotateFlags.Rotate180];

    /// <summary>A face found in the frame turned by <paramref name="turn"/>, in the coordinates of the frame
    /// itself (<paramref name="width"/> x <paramref name="height"/>): keypoints turned back, the box the
    /// turned-back box's bounds.</summary>
    internal static FaceDetection TurnBack(FaceDetection face, RotateFlags turn, int width, int height)
    {
        // Pixel centres: (x, y) of the original maps to (h-1-y, x) for a clockwise turn, etc.; a box edge at x
        // maps likewise with w and h instead of w-1 and h-1.
        Point2f Back(Point2f p, float w, float h) => turn switch
        {
            RotateFlags.Rotate90Clockwise => new(p.Y, h - p.X),          // turned (x', y') = (h - y, x)
            RotateFlags.Rotate90Counterclockwise => new(w - p.Y, p.X),   // turned (x', y') = (y, w - x)
            _ => new(w - p.X, h - p.Y),
        };
        var a = Back(new Point2f(face.Box.Left, face.Box.Top), width, height);
        var b = Back(new Point2f(face.Box.Right, face.Box.Bottom), width, height);
        var box = new Rect2f(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Abs(a.X - b.X), Math.Abs(a.Y - b.Y));
        return new FaceDetection(box, [.. face.Keypoints.Select(k => Back(k, width, height))], face.Score);
    }

    /// <summary>The whole frame and, with <paramref name="withTiles"/>, the tiles, merged; with
    /// <paramref name="closeUps"/>, the close-up pass where they find nothing.</summary>
    FaceSearchResult SearchUpright(Mat bgrImage, bool withTiles, bool closeUps)
    {
        List<Rect> regions = withTiles ? [WholeFrame(bgrImage), .. Tiles(bgrImage)] : [WholeFrame(bgrImage)];
        var all = new List<FaceDetection>();
        if (_options.BatchRegions) DetectIn(bgrImage, regions, all);
        else foreach (var region in regions) DetectIn(bgrImage, [region], all);
        int count = regions.Count, passes = _options.BatchRegions ? 1 : regions.Count;
        bool closeUp = all.Count == 0 && closeUps;
        if (closeUp)
        {
            all = CloseUp.DetectInRegion(bgrImage, CloseUpRegion(bgrImage));
            count++;
            passes++;
        }
        var faces = WeightedNms.Apply(all, _options.NmsIoU, _options.WeightedNms);
        // At its lower threshold the close-up pass also reports parts of a large face (an eye and a brow) as a
        // smaller face inside it: a face mostly inside a better one is dropped.
        if (closeUp) faces = [.. faces.Where(f => !faces.Any(b => b.Score > f.Score && Inside(f.Box, b.Box) > 0.6f))];
        int rolled = faces.Count(IsRolled);
        return new FaceSearchResult([.. faces.Select(f => MeasureUpright(bgrImage, f))], count + rolled, passes + rolled);
    }

    /// <summary>The share of <paramref name="a"/>'s area inside <paramref name="b"/>.</summary>
    static float Inside(Rect2f a, Rect2f b)
    {
        float w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left), h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        return w <= 0 || h <= 0 || a.Width * a.Height <= 0 ? 0 : w * h / (a.Width * a.Height);
    }

    /// <summary>Faces rolled more than this in the image are measured again in an upright square
    /// (<see cref="MeasureUpright"/>).</summary>
    public const double UprightMeasureDegrees = 15;

    internal static bool IsRolled(FaceDetection face) => Math.Abs(Roll(face)) > UprightMeasureDegrees;

    /// <summary>A rolled face measured again where it stands upright: BlazeFace's keypoints lean towards upright
    /// (a face rolled by 30 degrees measured at 18, one rolled by 60 at 72), so the short-range model looks once
    /// more at a square of 3 times the face, turned by the roll first measured, and its keypoints and box are
    /// turned back. The box keeps the face's own width and height (not the bounds of the turned box), so that
    /// crops cut around it turned upright have the face's size. Faces within
    /// <see cref="UprightMeasureDegrees"/> of upright, and faces the second look does not find, stay as they are.</summary>
    internal FaceDetection MeasureUpright(Mat image, FaceDetection face)
    {
        if (!IsRolled(face)) return face;
        double roll = Roll(face) * Math.PI / 180;
        var detector = ShortRange;
        int side = detector.InputSize * 2;
        double scale = side / (3.0 * Math.Max(face.Box.Width, face.Box.Height));
        double c = Math.Cos(roll) * scale, s = Math.Sin(roll) * scale;
        var centre = face.Center;
        // upright pixel = R(-roll) * scale * (p - centre) + side / 2
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, c); m.Set(0, 1, s); m.Set(0, 2, side / 2.0 - (c * centre.X + s * centre.Y));
        m.Set(1, 0, -s); m.Set(1, 1, c); m.Set(1, 2, side / 2.0 - (-s * centre.X + c * centre.Y));
        using var upright = new Mat();
        Cv2.WarpAffine(image, upright, m, new Size(side, side), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        var middle = new Point2f(side / 2f, side / 2f);
        var again = detector.DetectInRegion(upright, WholeFrame(upright))
            .Where(f => f.Box.Contains(middle)).MaxBy(f => f.Score);
        if (again is null) return face;
        // Back: p = centre + R(roll) * (q - side / 2) / scale
        Point2f Back(Point2f q)
        {
            double x = (q.X - side / 2.0) / scale, y = (q.Y - side / 2.0) / scale;
            return new Point2f((float)(centre.X + Math.Cos(roll) * x - Math.Sin(roll) * y), (float)(centre.Y + Math.Sin(roll) * x + Math.Cos(roll) * y));
        }
        var middleBack = Back(again.Center);
        float w = (float)(again.Box.Width / scale), h = (float)(again.Box.Height / scale);
        return new FaceDetection(new Rect2f(middleBack.X - w / 2, middleBack.Y - h / 2, w, h), [.. again.Keypoints.Select(Back)], face.Score);
    }

    /// <summary>The frame with a border of <see cref="FaceDetectorOptions.CloseUpBorder"/> times its longer side.</summary>
    Rect CloseUpRegion(Mat image)
    {
        int border = (int)Math.Round(_options.CloseUpBorder * Math.Max(image.Width, image.Height));
        return new Rect(-border, -border, image.Width + 2 * border, image.Height + 2 * border);
    }

    /// <summary>Faces in one region of the image (one forward pass), in image pixels, not merged; faces cut
    /// by a region edge inside the image are dropped.</summary>
    public List<FaceDetection> DetectInRegion(Mat bgrImage, Rect region)
    {
        var found = new List<FaceDetection>();
        DetectIn(bgrImage, [region], found);
        return found;
    }

    /// <summary>A video-mode search over one video's frames (<see cref="FaceDetectorOptions.FullSearchEvery"/>).</summary>
    public IVideoFaceSearch StartVideo() => new VideoFaceSearch(this);

    internal static Rect WholeFrame(Mat image) => new(0, 0, image.Width, image.Height);

    /// <summary>The tiles of the full search: none unless the frame is large next to the model input.</summary>
    IReadOnlyList<Rect> Tiles(Mat image) =>
        Math.Max(image.Width, image.Height) > _options.MinFrameToInputForTiling * _spec.InputSize
            ? TileLayout.Compute(image.Width, image.Height, _options.TilesPerShortSide, _options.TileOverlap)
            : [];

    BlazeFaceDetector? _shortRange, _closeUp;

    /// <summary>The short-range model at <see cref="FaceDetectorOptions.CloseUpMinScore"/>, for the close-up pass;
    /// made on first use, owned by this detector.</summary>
    BlazeFaceDetector CloseUp => _closeUp ??= new BlazeFaceDetector(_options with
    {
        Model = BlazeFaceModel.ShortRange, ModelDirectory = Path.GetDirectoryName(ModelPath), MinScore = _options.CloseUpMinScore,
        CloseUps = false, TurnedFaces = false,
    });

    /// <summary>The short-range model, which follows faces in video mode: this detector when it is the
    /// short-range one. Made once, on first use, and owned by this detector.</summary>
    internal BlazeFaceDetector ShortRange => _shortRange ??= _options.Model == BlazeFaceModel.ShortRange
        ? this
        : new BlazeFaceDetector(_options with
        {
            // The full search's threshold: at the short-range model's own (0.5) it took board texture
            // in an emptied region for a face.
            Model = BlazeFaceModel.ShortRange, ModelDirectory = Path.GetDirectoryName(ModelPath), MinScore = _minScore,
            CloseUps = false, TurnedFaces = false,
        });

    /// <summary>Runs the network once on the letterboxed regions (a batch when more than one) and adds
    /// their faces in whole-image pixels to <paramref name="found"/>. The whole frame is regions[0] of
    /// <see cref="Search"/>; in a tile, faces touching an edge inside the frame are dropped: they are cut,
    /// and seen whole by the neighbouring tile (overlap) or the full-frame pass.</summary>
    void DetectIn(Mat image, IReadOnlyList<Rect> regions, List<FaceDetection> found)
    {
        int size = _spec.InputSize, n = regions.Count;
        var inputs = new Mat[n];
        var placement = new (float Scale, int PadX, int PadY)[n];
        try
        {
            for (int i = 0; i < n; i++) inputs[i] = Letterbox(image, regions[i], out placement[i]);
            // (x - 127.5) / 127.5 maps 0..255 to [-1, 1]; swapRB gives the RGB order the model expects.
            using var blob = CvDnn.BlobFromImages(inputs, 1 / 127.5, new Size(size, size), new Scalar(127.5, 127.5, 127.5), swapRB: true, crop: false);
            _net.SetInput(blob);
            ReadOutputs(n);
        }
        finally
        {
            foreach (var input in inputs) input?.Dispose();
        }

        for (int i = 0; i < n; i++)
        {
            GatherImage(i, n);
            var (scale, padX, padY) = placement[i];
            var region = regions[i];
            // normalised input -> region pixels -> image pixels
            float toPixels = size / scale;
            foreach (var f in _decoder.Decode(_imageLogits, _imageRegressors, _minScore))
            {
                var d = f.Transform(toPixels, region.X - padX / scale, region.Y - padY / scale);
                if (TouchesInnerEdge(d.Box, region, image.Width, image.Height)) continue; // never for the whole frame
                found.Add(d);
            }
        }
    }

    /// <summary>The region resized into the model's square input, aspect ratio kept, centred, zero padding. A
    /// region reaching past the image (the close-up pass's border) is black there.</summary>
    Mat Letterbox(Mat image, Rect region, out (float Scale, int PadX, int PadY) placement)
    {
        int size = _spec.InputSize;
        float scale = Math.Min((float)size / region.Width, (float)size / region.Height);
        int w = Math.Max(1, (int)Math.Round(region.Width * scale)), h = Math.Max(1, (int)Math.Round(region.Height * scale));
        int padX = (size - w) / 2, padY = (size - h) / 2;
        placement = (scale, padX, padY);
        var input = new Mat(size, size, MatType.CV_8UC3, Scalar.All(0));
        var inside = region & WholeFrame(image);
        if (inside == region)
        {
            using var source = new Mat(image, region);
            using var target = new Mat(input, new Rect(padX, padY, w, h));
            Cv2.Resize(source, target, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        }
        else if (inside.Width > 0 && inside.Height > 0)
        {
            // The region with its outside black, then resized as a whole, so that the scale is the region's.
            using var framed = new Mat(region.Height, region.Width, MatType.CV_8UC3, Scalar.All(0));
            using (var source = new Mat(image, inside))
            using (var target = new Mat(framed, new Rect(inside.X - region.X, inside.Y - region.Y, inside.Width, inside.Height)))
                source.CopyTo(target);
            using var resized = new Mat(input, new Rect(padX, padY, w, h));
            Cv2.Resize(framed, resized, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        }
        return input;
    }

    /// <summary>Both outputs of one forward pass. Forward(name) once per output would run the whole
    /// network once per output.</summary>
    void ReadOutputs(int images)
    {
        int anchors = images * _decoder.AnchorCount;
        if (_logits.Length != anchors)
        {
            _logits = new float[anchors];
            _regressors = new float[anchors * BlazeFaceDecoder.ValuesPerAnchor];
        }
        var outputs = new[] { new Mat(), new Mat() };
        try
        {
            _net.Forward(outputs, _outputNames);
            foreach (var output in outputs)
            {
                long count = output.Total();
                if (count == _logits.Length) Marshal.Copy(output.Data, _logits, 0, _logits.Length);
                else if (count == _regressors.Length) Marshal.Copy(output.Data, _regressors, 0, _regressors.Length);
                else throw VideoFerException.InFile(ModelPath, $"unexpected output size {count} for {images} x {_decoder.AnchorCount} anchors");
            }
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
        }
    }

    /// <summary>Copies image <paramref name="index"/>'s outputs, in anchor order, from a pass over
    /// <paramref name="images"/> images: the batch comes out as one block per feature map (head), each
    /// holding every image's anchors of that map in turn.</summary>
    void GatherImage(int index, int images)
    {
        const int V = BlazeFaceDecoder.ValuesPerAnchor;
        int offset = 0; // first anchor of this map within one image
        foreach (int grid in _gridSizes)
        {
            int from = images * offset + index * grid;
            Array.Copy(_logits, from, _imageLogits, offset, grid);
            Array.Copy(_regressors, from * V, _imageRegressors, offset * V, grid * V);
            offset += grid;
        }
    }

    static bool TouchesInnerEdge(Rect2f box, Rect tile, int width, int height)
    {
        float margin = 0.02f * tile.Width;
        return (tile.Left > 0 && box.Left < tile.Left + margin)
            || (tile.Top > 0 && box.Top < tile.Top + margin)
            || (tile.Right < width && box.Right > tile.Right - margin)
            || (tile.Bottom < height && box.Bottom > tile.Bottom - margin);
    }

    public void Dispose()
    {
        if (_shortRange != this) _shortRange?.Dispose();
        _closeUp?.Dispose();
        _net.Dispose();
    }
}
