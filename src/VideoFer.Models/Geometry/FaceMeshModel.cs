using TorchSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.TfJs;
using static TorchSharp.torch;

namespace VideoFer.Models.Geometry;

/// <summary>MediaPipe Face Mesh: 468 3D face landmarks from a face box. The TF.js graph model shipped by npm
/// @vladmandic/human 3.3.6 (models/facemesh.json, MIT), run on TorchSharp by <see cref="TfJsGraphModel"/>, fed as
/// Human feeds it (src/face/facemesh.ts, facemeshutil.ts; detector rotation correction off, Human's default): the
/// detector's box enlarged 1.4 times about its centre and made square with rounded corners
/// (<see cref="CropBoxFor"/>), cut out and resized to 192x192 by tf.image.cropAndResize (bilinear, zeros outside
/// the picture), RGB / 255. The network returns 468 x (x, y, z) in the crop's pixels and a face flag;
/// <see cref="FaceMesh.ToImage"/> maps them back as Human's transformRawCoords does, without its truncation to
/// whole pixels, and with z scaled as x (Human leaves z in crop units).</summary>
public sealed class FaceMeshModel : IDisposable
{
    public const string FileName = "facemesh.json";
    const string MeshOutput = "Identity_2";
    const string FlagOutput = "Identity_1";

    private readonly TfJsGraphModel graph;

    private FaceMeshModel(TfJsGraphModel graph) => this.graph = graph;

    /// <summary>Full path of the facemesh.json in use.</summary>
    public string Path => graph.Path;

    /// <summary>Side of the square network input (192).</summary>
    public int InputSize => FaceMesh.InputSize;

    /// <summary>Loads facemesh.json, found as the default expression model is (explicit path, VIDEOFER_MODELS,
    /// or models/node_modules/@vladmandic/human/models).</summary>
    public static FaceMeshModel Load(string? explicitPath = null, Device? device = null)
    {
        string path = File.Exists(explicitPath) ? System.IO.Path.GetFullPath(explicitPath) : EmotionModelLocator.FindFile(FileName, explicitPath, "face mesh model");
        var graph = TfJsGraphModel.Load(path, device);
        try
        {
            var shape = graph.Inputs.Count == 1 ? TfJsGraphModel.DeclaredShape(graph.Inputs[0]) : null;
            var outputs = graph.Outputs.Select(o => o.Name).ToHashSet();
            if (shape is not [_, FaceMesh.InputSize, FaceMesh.InputSize, 3] || !outputs.Contains(MeshOutput) || !outputs.Contains(FlagOutput))
                throw VideoFerException.InFile(path, "not MediaPipe's face mesh (one [N, 192, 192, 3] input; mesh and face-flag outputs)");
            return new FaceMeshModel(graph);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>The square region Human gives the mesh for a detector box (BlazeFace's own box): enlarged
    /// <paramref name="enlarge"/> times about its centre, then a square of the longer side about the same centre,
    /// corners rounded to whole pixels (half up, as JavaScript's Math.round).</summary>
    public static FaceBox CropBoxFor(FaceBox detectorBox, float enlarge = 1.4f)
    {
        double cx = detectorBox.X + detectorBox.Width / 2.0, cy = detectorBox.Y + detectorBox.Height / 2.0;
        double half = enlarge * Math.Max(detectorBox.Width, detectorBox.Height) / 2.0;
        return SquareAbout(cx, cy, half);
    }

    /// <summary>Landmarks of the face in <paramref name="detectorBox"/> (a face detector's box, e.g. BlazeFace's).</summary>
    public FaceMesh Detect(FaceCrop image, FaceBox detectorBox) => DetectInCrop(image, CropBoxFor(detectorBox));

    /// <summary>Landmarks from the square region <paramref name="cropBox"/> as it is (no enlargement).</summary>
    public FaceMesh DetectInCrop(FaceCrop image, FaceBox cropBox)
    {
        var input = Preprocess(image, cropBox);
        using var x = torch.tensor(input, [1, InputSize, InputSize, 3]);
        var (raw, flag) = RunNetwork(x)[0];
        return Decode(raw, flag, cropBox);
    }

    /// <summary>The network input for a crop box: NHWC [192, 192, 3] RGB in 0..1, as Human's cutAndResize makes it.</summary>
    public float[] Preprocess(FaceCrop image, FaceBox cropBox)
    {
        float w = image.Width, h = image.Height;
        return CropAndResize.Run(image, cropBox.Y / h, cropBox.X / w, (cropBox.Y + cropBox.Height) / h, (cropBox.X + cropBox.Width) / w, InputSize, divide: 255f);
    }

    /// <summary>Runs the network alone on NHWC [N, 192, 192, 3] input; per image, the raw 1404 mesh values
    /// (468 x (x, y, z) in crop pixels) and the face flag.</summary>
    public (float[] Mesh, float Confidence)[] RunNetwork(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var outputs = graph.Execute(new Dictionary<string, Tensor> { [graph.Inputs[0].Name] = input }, [MeshOutput, FlagOutput]);
        int n = (int)input.shape[0];
        var mesh = outputs[MeshOutput].reshape(n, -1).cpu().data<float>().ToArray();
        var flag = outputs[FlagOutput].reshape(n).cpu().data<float>().ToArray();
        int d = mesh.Length / n;
        if (d != 3 * FaceMesh.PointCount) throw VideoFerException.InFile(Path, $"mesh output of {d} values, expected {3 * FaceMesh.PointCount}");
        return Enumerable.Range(0, n).Select(i => (mesh.AsSpan(i * d, d).ToArray(), flag[i])).ToArray();
    }

    /// <summary>The mesh in image pixels from the network's raw output for <paramref name="cropBox"/>.</summary>
    public static FaceMesh Decode(float[] raw, float confidence, FaceBox cropBox)
    {
        var mesh = new FaceMesh(new Point3[FaceMesh.PointCount], confidence, cropBox, raw);
        for (int i = 0; i < FaceMesh.PointCount; i++)
            mesh.Points[i] = mesh.ToImage(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]);
        return mesh;
    }

    internal static FaceBox SquareAbout(double cx, double cy, double half)
    {
        double x0 = Math.Floor(cx - half + 0.5), y0 = Math.Floor(cy - half + 0.5);
        double x1 = Math.Floor(cx + half + 0.5), y1 = Math.Floor(cy + half + 0.5);
        return new FaceBox((float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0));
    }

    public void Dispose() => graph.Dispose();
}
