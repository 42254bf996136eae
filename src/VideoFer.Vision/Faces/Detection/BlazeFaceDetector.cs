using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>MediaPipe's BlazeFace run by OpenCV's DNN module on the whole frame and, for small faces,
/// on overlapping tiles, merged by (weighted) non-maximum suppression.</summary>
/// <remarks>Pre-processing follows MediaPipe's face-detection graph: the image is letterboxed (aspect
/// ratio kept, zero padding, centred) to the model's square input, RGB, scaled to [-1, 1].</remarks>
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

    /// <summary>Images the networks evaluated in the last <see cref="Detect"/> call (1 for the whole frame +
    /// tiles, whether they ran one by one or as one batch) or <see cref="DetectInVideo"/> call (also
    /// the followed faces' regions).</summary>
    public int LastInferenceCount { get; private set; }

    /// <summary>Forward passes of the networks in the last call: for <see cref="Detect"/> 1 with
    /// <see cref="FaceDetectorOptions.BatchRegions"/>, else <see cref="LastInferenceCount"/>.</summary>
    public int LastForwardPassCount { get; private set; }

    public IReadOnlyList<FaceDetection> Detect(Mat bgrImage) =>
        bgrImage.Empty() ? [] : DetectInRegions(bgrImage, [WholeFrame(bgrImage), .. Tiles(bgrImage)]);

    /// <summary>Video mode (see <see cref="FaceDetectorOptions.FullSearchEvery"/>): the search on the first
    /// frame, at shot cuts, whenever a followed face is lost (whole frame and tiles), on every k-th frame
    /// (whole frame; tiles every <see cref="FaceDetectorOptions.TileSearchEvery"/> frames) and, while no
    /// face is followed, on every frame (whole frame); otherwise each known face's region only.</summary>
    public IReadOnlyList<FaceDetection> DetectInVideo(Mat bgrImage, bool rescan)
    {
        if (bgrImage.Empty()) { _followed = []; return []; }
        if (_options.FullSearchEvery <= 1) return Detect(bgrImage);
        if (rescan) _followed = []; // a new shot: the old regions show something else
        var next = FollowKnownFaces(bgrImage, out bool lost);
        int regions = _followed.Count, passes = _followed.Count;
        bool withTiles = rescan || lost || _sinceTiles >= _options.TileSearchEvery - 1;
        bool search = withTiles || _followed.Count == 0 || _sinceFullSearch >= _options.FullSearchEvery - 1;
        if (search)
        {
            var searched = DetectInRegions(bgrImage, withTiles ? [WholeFrame(bgrImage), .. Tiles(bgrImage)] : [WholeFrame(bgrImage)]);
            regions += LastInferenceCount;
            passes += LastForwardPassCount; // one when the search's regions go as a batch
            // Every face's keypoints come from one model, from its first frame on: switching models
            // moves them a little, which showed as jitter. So a followed face keeps its follower's
            // detection, and a new one is measured once more by the short-range model in its new
            // region; one that model does not see there (a profile, a face far away) is followed by
            // the full-range model in its region, instead of a full search on every frame.
            var known = next.Select(n => n.Face).ToList();
            foreach (var face in searched.Where(s => !known.Any(f => FaceDetection.IoU(f.Box, s.Box) > _options.NmsIoU)))
            {
                var region = NewFollowRegion(face, bgrImage, fullRange: false);
                var again = new List<FaceDetection>();
                if (region.Region.Width > 0 && region.Region.Height > 0) { Follower.DetectIn(bgrImage, [region.Region], again); regions++; passes++; }
                var best = again.MaxBy(f => FaceDetection.IoU(f.Box, face.Box));
                bool confirmed = best != null && FaceDetection.IoU(best.Box, face.Box) > _options.NmsIoU;
                next.Add(confirmed ? (best!, false) : (face, true));
            }
            next.Sort((a, b) => b.Face.Score.CompareTo(a.Face.Score));
            _followed = [.. next.Select(n => FollowRegion(n.Face, bgrImage, n.FullRange)).Where(r => r.Region.Width > 0 && r.Region.Height > 0)];
        }
        _sinceFullSearch = search ? 0 : _sinceFullSearch + 1;
        _sinceTiles = withTiles ? 0 : _sinceTiles + 1;
        LastInferenceCount = regions;
        LastForwardPassCount = passes;
        return [.. next.Select(n => n.Face)];
    }

    static Rect WholeFrame(Mat image) => new(0, 0, image.Width, image.Height);

    /// <summary>The tiles of the full search: none unless the frame is large next to the model input.</summary>
    IReadOnlyList<Rect> Tiles(Mat image) =>
        Math.Max(image.Width, image.Height) > _options.MinFrameToInputForTiling * _spec.InputSize
            ? TileLayout.Compute(image.Width, image.Height, _options.TilesPerShortSide, _options.TileOverlap)
            : [];

    /// <summary>A followed face's region (inside the frame), the square it was cut from, and whether the
    /// full-range model follows it (the short-range one did not see the face).</summary>
    readonly record struct FollowedRegion(Rect Region, Point2f Centre, float Side, bool FullRange);

    List<FollowedRegion> _followed = [];
    int _sinceFullSearch, _sinceTiles;
    BlazeFaceDetector? _follower;

    /// <summary>The short-range model: this detector when it is the short-range one.</summary>
    BlazeFaceDetector Follower => _follower ??= _options.Model == BlazeFaceModel.ShortRange
        ? this
        : new BlazeFaceDetector(_options with
        {
            // The full search's threshold: at the short-range model's own (0.5) it took board texture
            // in an emptied region for a face.
            Model = BlazeFaceModel.ShortRange, ModelDirectory = Path.GetDirectoryName(ModelPath), MinScore = _minScore,
        });

    /// <summary>Detects in each followed region with its model: the faces, each with whether the
    /// full-range model found it; <paramref name="lost"/> when a region came back empty.</summary>
    List<(FaceDetection Face, bool FullRange)> FollowKnownFaces(Mat image, out bool lost)
    {
        lost = false;
        if (_followed.Count == 0) return [];
        var found = new List<FaceDetection>();
        var fullRange = new HashSet<FaceDetection>(ReferenceEqualityComparer.Instance);
        foreach (var followed in _followed)
        {
            int before = found.Count;
            (followed.FullRange ? this : Follower).DetectIn(image, [followed.Region], found);
            lost |= found.Count == before;
            if (followed.FullRange) foreach (var f in found.Skip(before)) fullRange.Add(f);
        }
        // A merged face counts as the full-range model's when that model saw most of it.
        return [.. WeightedNms.Apply(found, _options.NmsIoU, _options.WeightedNms).Select(face => (face,
            found.Where(f => fullRange.Contains(f) && FaceDetection.IoU(f.Box, face.Box) > _options.NmsIoU).Sum(f => f.Score)
            > found.Where(f => !fullRange.Contains(f) && FaceDetection.IoU(f.Box, face.Box) > _options.NmsIoU).Sum(f => f.Score)))];
    }

    /// <summary>The face's region for the frames up to the next search. Regions stay put while the face
    /// stays near their centre at about the same size: a region moving with every detection feeds its
    /// own jitter back (on Megamind, keypoint jitter rose by half when it did).</summary>
    FollowedRegion FollowRegion(FaceDetection face, Mat image, bool fullRange)
    {
        var fresh = NewFollowRegion(face, image, fullRange);
        foreach (var old in _followed)
        {
            var d = face.Center - old.Centre;
            if (old.FullRange == fullRange && Math.Sqrt(d.X * d.X + d.Y * d.Y) < old.Side / 6 && fresh.Side > 0.8f * old.Side && fresh.Side < 1.25f * old.Side)
                return old;
        }
        return fresh;
    }

    /// <summary>A square of <see cref="FaceDetectorOptions.FollowRegionScale"/> times the box's longer
    /// side around its centre, clipped to the frame.</summary>
    FollowedRegion NewFollowRegion(FaceDetection face, Mat image, bool fullRange)
    {
        float side = _options.FollowRegionScale * Math.Max(face.Box.Width, face.Box.Height);
        var c = face.Center;
        int s = (int)Math.Round(side);
        var region = new Rect((int)Math.Round(c.X - side / 2), (int)Math.Round(c.Y - side / 2), s, s) & WholeFrame(image);
        return new FollowedRegion(region, c, side, fullRange);
    }

    IReadOnlyList<FaceDetection> DetectInRegions(Mat bgrImage, List<Rect> regions)
    {
        var all = new List<FaceDetection>();
        if (_options.BatchRegions) DetectIn(bgrImage, regions, all);
        else foreach (var region in regions) DetectIn(bgrImage, [region], all);
        LastInferenceCount = regions.Count;
        LastForwardPassCount = _options.BatchRegions ? 1 : regions.Count;
        return WeightedNms.Apply(all, _options.NmsIoU, _options.WeightedNms);
    }

    /// <summary>Runs the network once on the letterboxed regions (a batch when more than one) and adds
    /// their faces in whole-image pixels to <paramref name="found"/>. The whole frame is regions[0] of
    /// <see cref="Detect"/>; in a tile, faces touching an edge inside the frame are dropped: they are cut,
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

    /// <summary>The region resized into the model's square input, aspect ratio kept, centred, zero padding.</summary>
    Mat Letterbox(Mat image, Rect region, out (float Scale, int PadX, int PadY) placement)
    {
        int size = _spec.InputSize;
        float scale = Math.Min((float)size / region.Width, (float)size / region.Height);
        int w = Math.Max(1, (int)Math.Round(region.Width * scale)), h = Math.Max(1, (int)Math.Round(region.Height * scale));
        int padX = (size - w) / 2, padY = (size - h) / 2;
        placement = (scale, padX, padY);
        var input = new Mat(size, size, MatType.CV_8UC3, Scalar.All(0));
        using (var source = new Mat(image, region))
        using (var target = new Mat(input, new Rect(padX, padY, w, h)))
            Cv2.Resize(source, target, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
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
        if (_follower != this) _follower?.Dispose();
        _net.Dispose();
    }
}
