using TorchSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.TfJs;
using static TorchSharp.torch;

namespace VideoFer.Models.Geometry;

/// <summary>MediaPipe Iris: per eye, the iris centre, four iris-edge points and 71 eyelid/eyebrow points. The
/// TF.js graph model shipped by npm @vladmandic/human 3.3.6 (models/iris.json, MIT), run on TorchSharp by
/// <see cref="TfJsGraphModel"/>, fed as Human feeds it (src/face/iris.ts): from the face mesh's own 192x192 input,
/// per eye a square around the two eye corners (mesh 33/133 for the right eye, 263/362 for the left) enlarged 2.3
/// times, corners rounded, cut and resized to 64x64 by tf.image.cropAndResize, both eyes run as one batch.
/// The network knows one eye's shape: the subject's left eye goes in mirrored and its points are mirrored back.
/// (Human 3.3.6 passes flip = true for both crops but un-mirrors only the left eye's points, which puts the right
/// eye's contour the wrong way round; MediaPipe and the tfjs-models facemesh it derives from mirror the left eye
/// only, as here; IrisTests check it on real faces against the mesh's own eye corners.)</summary>
public sealed class IrisModel : IDisposable
{
    public const string FileName = "iris.json";
    public const int InputSize = 64;
    /// <summary>Points per eye: 71 eye-region points then 5 iris points (centre first).</summary>
    public const int PointsPerEye = 76;
    const int IrisIndex = 71;
    const float EyeBoxEnlarge = 2.3f;

    // Eye corners in the mesh (first and last of Human's EyeLower0 contours): outer, inner.
    internal static readonly (int Outer, int Inner) LeftEyeCorners = (263, 362);
    internal static readonly (int Outer, int Inner) RightEyeCorners = (33, 133);

    private readonly TfJsGraphModel graph;

    private IrisModel(TfJsGraphModel graph) => this.graph = graph;

    /// <summary>Full path of the iris.json in use.</summary>
    public string Path => graph.Path;

    /// <summary>Loads iris.json, found as the default expression model is.</summary>
    public static IrisModel Load(string? explicitPath = null, Device? device = null)
    {
        string path = File.Exists(explicitPath) ? System.IO.Path.GetFullPath(explicitPath) : EmotionModelLocator.FindFile(FileName, explicitPath, "iris model");
        var graph = TfJsGraphModel.Load(path, device);
        try
        {
            var shape = graph.Inputs.Count == 1 ? TfJsGraphModel.DeclaredShape(graph.Inputs[0]) : null;
            if (shape is not [_, InputSize, InputSize, 3] || graph.Outputs.Count != 1)
                throw VideoFerException.InFile(path, "not MediaPipe's iris model (one [N, 64, 64, 3] input, one output)");
            return new IrisModel(graph);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>Both irises of the face whose <paramref name="mesh"/> was found in <paramref name="image"/>.</summary>
    public Iris Detect(FaceCrop image, FaceMesh mesh)
    {
        var face = FaceMeshInput(image, mesh.CropBox);
        var (input, leftBox, rightBox) = Preprocess(face, mesh.Raw);
        using var x = torch.tensor(input, [2, InputSize, InputSize, 3]);
        var raw = RunNetwork(x);
        return new Iris(Decode(raw[0], leftBox, mirrored: true, mesh), Decode(raw[1], rightBox, mirrored: false, mesh));
    }

    /// <summary>The face mesh's 192x192 input again (the eyes are cut from it, as Human does).</summary>
    internal static float[] FaceMeshInput(FaceCrop image, FaceBox cropBox)
    {
        float w = image.Width, h = image.Height;
        return CropAndResize.Run(image, cropBox.Y / h, cropBox.X / w, (cropBox.Y + cropBox.Height) / h, (cropBox.X + cropBox.Width) / w, FaceMesh.InputSize, divide: 255f);
    }

    /// <summary>The network input, NHWC [2, 64, 64, 3] (left eye mirrored, then right eye), cut from the face
    /// mesh's input <paramref name="face"/> ([192, 192, 3], 0..1) around the eye corners of the raw mesh; and the
    /// two eye boxes in the 192x192 crop's pixels.</summary>
    public static (float[] Input, FaceBox LeftBox, FaceBox RightBox) Preprocess(float[] face, float[] rawMesh)
    {
        var left = EyeBox(rawMesh, LeftEyeCorners);
        var right = EyeBox(rawMesh, RightEyeCorners);
        var input = new float[2 * InputSize * InputSize * 3];
        Cut(face, left, mirrored: true).CopyTo(input, 0);
        Cut(face, right, mirrored: false).CopyTo(input, InputSize * InputSize * 3);
        return (input, left, right);
    }

    /// <summary>Runs the network alone on NHWC [N, 64, 64, 3] input; per image the raw 76 x (x, y, z) in input pixels.</summary>
    public float[][] RunNetwork(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = graph.Execute(input);
        int n = (int)input.shape[0];
        var flat = output.reshape(n, -1).cpu().data<float>().ToArray();
        int d = flat.Length / n;
        if (d != 3 * PointsPerEye) throw VideoFerException.InFile(Path, $"output of {d} values per eye, expected {3 * PointsPerEye}");
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
    }

    /// <summary>One eye in image pixels from the network's raw output for the eye box (192-crop pixels). The iris
    /// z, which the network does not estimate well, is the mean z of the mesh's eyelid middles, as Human does.</summary>
    public static EyeIris Decode(float[] raw, FaceBox eyeBox, bool mirrored, FaceMesh mesh)
    {
        var points = new Point3[PointsPerEye];
        var (upper, lower) = mirrored ? (386, 374) : (159, 145); // eyelid middles: EyeUpper0[3], EyeLower0[4]
        float irisZ = (mesh.Raw[3 * upper + 2] + mesh.Raw[3 * lower + 2]) / 2;
        for (int i = 0; i < PointsPerEye; i++)
        {
            double u = raw[3 * i] / InputSize, v = raw[3 * i + 1] / InputSize;
            float x = (float)((mirrored ? 1 - u : u) * eyeBox.Width + eyeBox.X);
            float y = (float)(v * eyeBox.Height + eyeBox.Y);
            points[i] = mesh.ToImage(x, y, i >= IrisIndex ? irisZ : raw[3 * i + 2]);
        }
        var image = mesh.ToImage(eyeBox.X, eyeBox.Y, 0);
        float scale = mesh.CropBox.Width / FaceMesh.InputSize;
        return new EyeIris(points[IrisIndex], points[(IrisIndex + 1)..], points[..IrisIndex],
            new FaceBox(image.X, image.Y, eyeBox.Width * scale, eyeBox.Height * scale), raw);
    }

    static FaceBox EyeBox(float[] raw, (int Outer, int Inner) corners)
    {
        float ax = raw[3 * corners.Outer], ay = raw[3 * corners.Outer + 1];
        float bx = raw[3 * corners.Inner], by = raw[3 * corners.Inner + 1];
        double minX = Math.Min(ax, bx), maxX = Math.Max(ax, bx), minY = Math.Min(ay, by), maxY = Math.Max(ay, by);
        double cx = minX + (maxX - minX) / 2, cy = minY + (maxY - minY) / 2;
        // enlargeBox then squarifyBox: half the longer enlarged side about the same centre.
        double half = EyeBoxEnlarge * Math.Max(maxX - minX, maxY - minY) / 2;
        return FaceMeshModel.SquareAbout(cx, cy, half);
    }

    static float[] Cut(float[] face, FaceBox box, bool mirrored)
    {
        // Human normalises by the mesh size (192) while cropAndResize scales by size - 1: kept, to feed the same pixels.
        const float s = FaceMesh.InputSize;
        return CropAndResize.Run(face, FaceMesh.InputSize, FaceMesh.InputSize, box.Y / s, box.X / s, (box.Y + box.Height) / s, (box.X + box.Width) / s, InputSize, mirrored);
    }

    public void Dispose() => graph.Dispose();
}
