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
    readonly float[] _logits;
    readonly float[] _regressors;
    readonly float _minScore;

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
        _logits = new float[_decoder.AnchorCount];
        _regressors = new float[_decoder.AnchorCount * BlazeFaceDecoder.ValuesPerAnchor];
        _minScore = _options.MinScore ?? _spec.DefaultMinScore;
        // The model has two outputs: 1xAx1 classifier logits and 1xAx16 regressors; tell them apart by shape.
        _outputNames = _net.GetUnconnectedOutLayersNames().Select(n => n!).ToArray();
        if (_outputNames.Length != 2)
            throw VideoFerException.InFile(ModelPath, $"expected a BlazeFace model with 2 outputs, found {_outputNames.Length}");
    }

    /// <summary>The .tflite file in use.</summary>
    public string ModelPath { get; }

    /// <summary>Side of the model's square input in pixels.</summary>
    public int InputSize => _spec.InputSize;

    /// <summary>Number of network evaluations in the last <see cref="Detect"/> call (1 + tiles).</summary>
    public int LastInferenceCount { get; private set; }

    public IReadOnlyList<FaceDetection> Detect(Mat bgrImage)
    {
        if (bgrImage.Empty()) return [];
        var all = DetectIn(bgrImage, new Rect(0, 0, bgrImage.Width, bgrImage.Height), dropEdgeFaces: false);
        LastInferenceCount = 1;
        if (Math.Max(bgrImage.Width, bgrImage.Height) > _options.MinFrameToInputForTiling * _spec.InputSize)
            foreach (var tile in TileLayout.Compute(bgrImage.Width, bgrImage.Height, _options.TilesPerShortSide, _options.TileOverlap))
            {
                all.AddRange(DetectIn(bgrImage, tile, dropEdgeFaces: true));
                LastInferenceCount++;
            }
        return WeightedNms.Apply(all, _options.NmsIoU, _options.WeightedNms);
    }

    /// <summary>Runs the network on one region and maps the faces back to whole-image pixels. In a tile,
    /// faces touching an edge inside the frame are dropped: they are cut, and seen whole by the
    /// neighbouring tile (overlap) or the full-frame pass.</summary>
    List<FaceDetection> DetectIn(Mat image, Rect region, bool dropEdgeFaces)
    {
        int size = _spec.InputSize;
        float scale = Math.Min((float)size / region.Width, (float)size / region.Height);
        int w = Math.Max(1, (int)Math.Round(region.Width * scale)), h = Math.Max(1, (int)Math.Round(region.Height * scale));
        int padX = (size - w) / 2, padY = (size - h) / 2;

        using (var input = new Mat(size, size, MatType.CV_8UC3, Scalar.All(0)))
        {
            using (var source = new Mat(image, region))
            using (var target = new Mat(input, new Rect(padX, padY, w, h)))
                Cv2.Resize(source, target, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
            // (x - 127.5) / 127.5 maps 0..255 to [-1, 1]; swapRB gives the RGB order the model expects.
            using var blob = CvDnn.BlobFromImage(input, 1 / 127.5, new Size(size, size), new Scalar(127.5, 127.5, 127.5), swapRB: true, crop: false);
            _net.SetInput(blob);
            foreach (var name in _outputNames)
            {
                using var output = _net.Forward(name);
                long count = output.Total();
                if (count == _logits.Length) Marshal.Copy(output.Data, _logits, 0, _logits.Length);
                else if (count == _regressors.Length) Marshal.Copy(output.Data, _regressors, 0, _regressors.Length);
                else throw VideoFerException.InFile(ModelPath, $"unexpected output size {count} for {_decoder.AnchorCount} anchors");
            }
        }

        var faces = _decoder.Decode(_logits, _regressors, _minScore);
        // normalised input -> region pixels -> image pixels
        float toPixels = size / scale;
        var mapped = new List<FaceDetection>(faces.Count);
        foreach (var f in faces)
        {
            var d = f.Transform(toPixels, region.X - padX / scale, region.Y - padY / scale);
            if (dropEdgeFaces && TouchesInnerEdge(d.Box, region, image.Width, image.Height)) continue;
            mapped.Add(d);
        }
        return mapped;
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
