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
    public FaceSearchResult Search(Mat bgrImage, bool withTiles = true)
    {
        if (bgrImage.Empty()) return FaceSearchResult.Nothing;
        List<Rect> regions = withTiles ? [WholeFrame(bgrImage), .. Tiles(bgrImage)] : [WholeFrame(bgrImage)];
        var all = new List<FaceDetection>();
        if (_options.BatchRegions) DetectIn(bgrImage, regions, all);
        else foreach (var region in regions) DetectIn(bgrImage, [region], all);
        return new FaceSearchResult(WeightedNms.Apply(all, _options.NmsIoU, _options.WeightedNms),
            regions.Count, _options.BatchRegions ? 1 : regions.Count);
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

    BlazeFaceDetector? _shortRange;

    /// <summary>The short-range model, which follows faces in video mode: this detector when it is the
    /// short-range one. Made once, on first use, and owned by this detector.</summary>
    internal BlazeFaceDetector ShortRange => _shortRange ??= _options.Model == BlazeFaceModel.ShortRange
        ? this
        : new BlazeFaceDetector(_options with
        {
            // The full search's threshold: at the short-range model's own (0.5) it took board texture
            // in an emptied region for a face.
            Model = BlazeFaceModel.ShortRange, ModelDirectory = Path.GetDirectoryName(ModelPath), MinScore = _minScore,
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
        if (_shortRange != this) _shortRange?.Dispose();
        _net.Dispose();
    }
}
