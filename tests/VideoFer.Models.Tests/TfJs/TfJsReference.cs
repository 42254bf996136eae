using System.Text.Json;
using System.Text.Json.Nodes;
using VideoFer.Models.Expressions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Runs TensorFlow.js itself (reference/tfjs/emotion_reference.js on the pure-JavaScript CPU backend,
/// npm @tensorflow/tfjs pinned in reference/tfjs/package-lock.json) as a child process.</summary>
public static class TfJsReference
{
    public static string Folder => Path.Combine(Repo.Root, "reference", "tfjs");

    public static string Script => Path.Combine(Folder, "emotion_reference.js");

    /// <summary>emotion.json from models/node_modules (scripts/setup.sh installs it).</summary>
    public static string EmotionModelPath => EmotionModelLocator.Find(Path.Combine(Repo.Root, "models"));

    /// <summary>What TF.js answered for a request.</summary>
    public sealed record Response(List<float[]> TensorOutputs, List<(float[] Input, float[] Output)> CropResults);

    /// <summary>Runs the model on NHWC float32 tensors (network only) and on RGB crops (TF.js doing the
    /// publisher's pre-processing too).</summary>
    public static Response Run(string modelJson, IEnumerable<(float[] Data, long[] Shape)> tensors, IEnumerable<FaceCrop> rgbCrops) =>
        Run(modelJson, tensors, rgbCrops, null, null);

    /// <summary>As <see cref="Run(string, IEnumerable{ValueTuple{float[], long[]}}, IEnumerable{FaceCrop})"/>, reading the graph node
    /// <paramref name="outputNode"/> and, for crops, with the face-description pre-processing of @vladmandic/human
    /// (RGB / 255, resize, times <paramref name="embeddingScale"/>).</summary>
    public static Response RunEmbedding(string modelJson, string outputNode, float embeddingScale,
        IEnumerable<(float[] Data, long[] Shape)> tensors, IEnumerable<FaceCrop> rgbCrops) =>
        Run(modelJson, tensors, rgbCrops, outputNode, embeddingScale);

    static Response Run(string modelJson, IEnumerable<(float[] Data, long[] Shape)> tensors, IEnumerable<FaceCrop> rgbCrops,
        string? outputNode, float? embeddingScale)
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var request = new JsonObject
        {
            ["tensors"] = new JsonArray(tensors.Select(t => (JsonNode)new JsonObject
            {
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data"] = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan())),
            }).ToArray()),
            ["crops"] = new JsonArray(rgbCrops.Select(c => (JsonNode)new JsonObject
            {
                ["width"] = c.Width,
                ["height"] = c.Height,
                ["rgb"] = Convert.ToBase64String(ContiguousRgb(c)),
            }).ToArray()),
        };
        if (outputNode != null) request["outputs"] = new JsonArray(outputNode);
        if (embeddingScale is float scale) request["embedding"] = new JsonObject { ["scale"] = scale };
        string requestPath = Path.Combine(dir, "request.json");
        string responsePath = Path.Combine(dir, "response.json");
        File.WriteAllText(requestPath, request.ToJsonString());
        Node("run", modelJson, requestPath, responsePath);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(responsePath));
        var outputs = doc.RootElement.GetProperty("tensors").EnumerateArray().Select(Floats).ToList();
        var crops = doc.RootElement.GetProperty("crops").EnumerateArray()
            .Select(c => (Floats(c.GetProperty("input")), Floats(c.GetProperty("output")))).ToList();
        return new Response(outputs, crops);
    }

    /// <summary>Writes a quantised copy of a model (uint8, uint16 and float16 weights; sharded) into a folder;
    /// returns its model.json.</summary>
    public static string Quantize(string modelJson, string outFolder)
    {
        Node("quantize", modelJson, outFolder);
        return Path.Combine(outFolder, "model.json");
    }

    static byte[] ContiguousRgb(FaceCrop c)
    {
        var result = new byte[c.Width * c.Height * 3];
        var span = c.Pixels.Span;
        for (int y = 0; y < c.Height; y++)
            for (int x = 0; x < c.Width; x++)
                for (int k = 0; k < 3; k++)
                    result[3 * (y * c.Width + x) + k] = span[y * c.Stride + 3 * x + (c.Order == ChannelOrder.Bgr ? 2 - k : k)];
        return result;
    }

    static float[] Floats(JsonElement tensor)
    {
        var bytes = Convert.FromBase64String(tensor.GetProperty("data").GetString()!);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    static void Node(params string[] args)
    {
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@tensorflow", "tfjs", "package.json")))
            throw new InvalidOperationException("@tensorflow/tfjs is not installed in reference/tfjs: run scripts/setup.sh --test");
        Reference.RunProcess("node", Folder, $"emotion_reference.js {args[0]}", [Script, .. args]);
    }
}
