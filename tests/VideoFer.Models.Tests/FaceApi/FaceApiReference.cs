using System.Text.Json;
using System.Text.Json.Nodes;
using VideoFer.Models.Expressions;

namespace VideoFer.Models.Tests.FaceApi;

/// <summary>Runs face-api itself (npm @vladmandic/face-api 1.7.15's Node build, on @tensorflow/tfjs 4.22's
/// pure-JavaScript CPU backend) through reference/tfjs/faceapi_expressions.js, as a child process.</summary>
public static class FaceApiReference
{
    public static string Folder => Path.Combine(Repo.Root, "reference", "tfjs");

    public static string Script => Path.Combine(Folder, "faceapi_expressions.js");

    /// <summary>face-api's expression weights manifest in tests/media/node_modules, beside the face-api code the reference runs.</summary>
    public static string ManifestPath => FaceApiModelLocator.Find(TestMedia.NpmFolder);

    /// <summary>face-api's answer for one crop or batch: probabilities by face-api's label, and the NHWC tensor
    /// face-api fed its first convolution.</summary>
    public sealed record Result(IReadOnlyList<Dictionary<string, float>> Expressions, float[] Input, long[] InputShape);

    /// <summary>face-api's FACE_EXPRESSION_LABELS, each crop run alone, and all crops run as one batch.</summary>
    public sealed record Response(IReadOnlyList<string> Labels, IReadOnlyList<Result> Single, Result? Batch);

    public static Response Run(IReadOnlyList<FaceCrop> crops, bool single = true, bool batch = true)
    {
        using var temp = new TempDir();
        var request = new JsonObject
        {
            ["model"] = Path.GetDirectoryName(ManifestPath),
            ["single"] = single,
            ["batch"] = batch,
            ["crops"] = new JsonArray(crops.Select(c => (JsonNode)new JsonObject
            {
                ["width"] = c.Width,
                ["height"] = c.Height,
                ["rgb"] = Convert.ToBase64String(ContiguousRgb(c)),
            }).ToArray()),
        };
        string requestPath = temp.Combine("request.json");
        string responsePath = temp.Combine("response.json");
        File.WriteAllText(requestPath, request.ToJsonString());
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@tensorflow", "tfjs", "package.json")))
            throw new InvalidOperationException("@tensorflow/tfjs is not installed in reference/tfjs: run scripts/setup.sh --test");
        Reference.RunProcess("node", Folder, "faceapi_expressions.js", [Script, requestPath, responsePath]);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(responsePath));
        var root = doc.RootElement;
        var labels = root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var singles = root.TryGetProperty("single", out var s)
            ? s.EnumerateArray().Select(r => new Result([Probabilities(r.GetProperty("expressions"))], Floats(r.GetProperty("input")), Shape(r.GetProperty("input")))).ToList()
            : [];
        Result? batched = root.TryGetProperty("batch", out var b)
            ? new Result(b.GetProperty("expressions").EnumerateArray().Select(Probabilities).ToList(), Floats(b.GetProperty("input")), Shape(b.GetProperty("input")))
            : null;
        return new Response(labels, singles, batched);
    }

    /// <summary>The crop as tightly packed RGB bytes, as face-api gets it (a tf.tensor3d [h, w, 3]).</summary>
    public static byte[] ContiguousRgb(FaceCrop c)
    {
        var result = new byte[c.Width * c.Height * 3];
        var span = c.Pixels.Span;
        for (int y = 0; y < c.Height; y++)
            for (int x = 0; x < c.Width; x++)
                for (int k = 0; k < 3; k++)
                    result[3 * (y * c.Width + x) + k] = span[y * c.Stride + 3 * x + (c.Order == ChannelOrder.Bgr ? 2 - k : k)];
        return result;
    }

    /// <summary>An NHWC tensor's values (one image, or image <paramref name="index"/> of a batch) as CHW.</summary>
    public static float[] NhwcToChw(float[] nhwc, int height, int width, int channels, int index = 0)
    {
        var result = new float[channels * height * width];
        int offset = index * height * width * channels;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    result[(c * height + y) * width + x] = nhwc[offset + (y * width + x) * channels + c];
        return result;
    }

    static Dictionary<string, float> Probabilities(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => (float)p.Value.GetDouble());

    static long[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    static float[] Floats(JsonElement tensor)
    {
        var bytes = Convert.FromBase64String(tensor.GetProperty("data").GetString()!);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
