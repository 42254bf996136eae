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

    /// <summary>Images the network evaluated in the last <see cref="Detect"/> call: 1 (whole frame) + tiles,
    /// whether they ran one by one or as one batch.</summary>
    public int LastInferenceCount { get; private set; }

    /// <summary>Forward passes of the network in the last <see cref="Detect"/> call: 1 with
    /// <see cref="FaceDetectorOptions.BatchRegions"/>, else <see cref="LastInferenceCount"/>.</summary>
    public int LastForwardPassCount { get; private set; }

    public IReadOnlyList<FaceDetection> Detect(Mat bgrImage) =>
        bgrImage.Empty() ? [] : DetectInRegions(bgrImage, [WholeFrame(bgrImage), .. Tiles(bgrImage)]);

    /// <summary>Video mode: the full search (whole frame + tiles) on the first frame, at shot cuts and
    /// every <see cref="FaceDetectorOptions.TileEvery"/> frames; in between, the whole frame plus a
    /// region around each small face of the previous frame (see <see cref="FaceDetectorOptions.TileEvery"/>).
    /// Where the full search has no tiles (tiling off, small frames) every frame gets it.</summary>
    public IReadOnlyList<FaceDetection> DetectInVideo(Mat bgrImage, bool rescan)
    {
        if (bgrImage.Empty()) return _previous = [];
        var tiles = Tiles(bgrImage);
        IReadOnlyList<FaceDetection> faces;
        if (rescan || tiles.Count == 0 || _sinceFullSearch >= _options.TileEvery - 1)
        {
            faces = DetectInRegions(bgrImage, [WholeFrame(bgrImage), .. tiles]);
            _sinceFullSearch = 0;
        }
        else
        {
            faces = DetectInRegions(bgrImage, [WholeFrame(bgrImage), .. RegionsAround(_previous, bgrImage)]);
            _sinceFullSearch++;
        }
        _previous = faces;
        return faces;
    }

    static Rect WholeFrame(Mat image) => new(0, 0, image.Width, image.Height);

    /// <summary>The tiles of the full search: none unless the frame is large next to the model input.</summary>
    IReadOnlyList<Rect> Tiles(Mat image) =>
        Math.Max(image.Width, image.Height) > _options.MinFrameToInputForTiling * _spec.InputSize
            ? TileLayout.Compute(image.Width, image.Height, _options.TilesPerShortSide, _options.TileOverlap)
            : [];

    IReadOnlyList<FaceDetection> _previous = [];
    int _sinceFullSearch;

    /// <summary>Squares of 4x the box side (at least the model input) around the small faces, inside the frame.</summary>
    IEnumerable<Rect> RegionsAround(IReadOnlyList<FaceDetection> faces, Mat image)
    {
        float longSide = Math.Max(image.Width, image.Height);
        var frame = WholeFrame(image);
        foreach (var f in faces)
        {
            float side = Math.Max(f.Box.Width, f.Box.Height);
            if (side >= _options.SmallFaceFraction * longSide) continue; // the whole-frame pass sees it
            int region = (int)Math.Round(Math.Max(4 * side, _spec.InputSize));
            float cx = f.Box.X + f.Box.Width / 2, cy = f.Box.Y + f.Box.Height / 2;
            var r = new Rect((int)Math.Round(cx - region / 2f), (int)Math.Round(cy - region / 2f), region, region) & frame;
            if (r.Width > 0 && r.Height > 0) yield return r;
        }
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

    public void Dispose() => _net.Dispose();
}
