using System.Text.Json;

namespace VideoFer.Models.TfJs;

/// <summary>A weight read from a TF.js weights manifest: its manifest entry and decoded values
/// (<c>float[]</c>, <c>int[]</c> or <c>bool[]</c>, row-major in TensorFlow's layout).</summary>
public sealed record TfJsWeight(TfJsWeightSpec Spec, Array Values);

/// <summary>The content of a TF.js graph model on disk: model.json (topology and weights manifest)
/// and the binary shards it names, next to it. Reading only; nothing is interpreted beyond the format.</summary>
public sealed class TfJsModelFile
{
    private TfJsModelFile(string path, IReadOnlyList<TfJsNode> nodes, IReadOnlyDictionary<string, TfJsWeight> weights)
    {
        Path = path;
        Nodes = nodes;
        Weights = weights;
    }

    /// <summary>Full path of model.json.</summary>
    public string Path { get; }

    public IReadOnlyList<TfJsNode> Nodes { get; }

    public IReadOnlyDictionary<string, TfJsWeight> Weights { get; }

    /// <summary>Reads model.json and its shards; every problem is a <see cref="VideoFerException"/> naming the file.</summary>
    public static TfJsModelFile Read(string modelJsonPath)
    {
        string path = System.IO.Path.GetFullPath(modelJsonPath);
        if (!File.Exists(path)) throw VideoFerException.InFile(path, "TF.js model file not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("modelTopology", out var topology))
                throw VideoFerException.InFile(path, "not a TF.js model (no modelTopology)");
            if (root.TryGetProperty("format", out var format) && format.GetString() is string f && f != "graph-model")
                throw VideoFerException.InFile(path, $"a TF.js '{f}', not a graph-model; only graph models are supported");
            if (!topology.TryGetProperty("node", out var nodeArray) || nodeArray.ValueKind != JsonValueKind.Array)
                throw VideoFerException.InFile(path, "not a TF.js graph model (modelTopology has no node list)");

            var nodes = nodeArray.EnumerateArray().Select(ReadNode).ToList();
            var weights = ReadWeights(path, root);
            return new TfJsModelFile(path, nodes, weights);
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"invalid JSON ({e.Message})");
        }
        catch (VideoFerException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw VideoFerException.InFile(path, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw VideoFerException.InFile(path, $"malformed TF.js model ({e.Message})");
        }
    }

    private static TfJsNode ReadNode(JsonElement e)
    {
        string name = e.GetProperty("name").GetString()!;
        string op = e.GetProperty("op").GetString()!;
        var inputs = new List<string>();
        if (e.TryGetProperty("input", out var input))
            foreach (var i in input.EnumerateArray())
            {
                string s = i.GetString()!;
                if (!s.StartsWith('^')) inputs.Add(s);
            }
        var attributes = e.TryGetProperty("attr", out var attr) ? attr.Clone() : default;
        return new TfJsNode(name, op, inputs, attributes);
    }

    private static Dictionary<string, TfJsWeight> ReadWeights(string path, JsonElement root)
    {
        var result = new Dictionary<string, TfJsWeight>(StringComparer.Ordinal);
        if (!root.TryGetProperty("weightsManifest", out var manifest)) return result;
        string folder = System.IO.Path.GetDirectoryName(path)!;
        foreach (var group in manifest.EnumerateArray())
        {
            // A group's shards are one byte stream cut into files.
            using var data = new MemoryStream();
            foreach (var shard in group.GetProperty("paths").EnumerateArray())
            {
                string shardPath = System.IO.Path.Combine(folder, shard.GetString()!);
                if (!File.Exists(shardPath))
                    throw new VideoFerException($"weights shard {shard.GetString()} not found next to the model");
                using var s = File.OpenRead(shardPath);
                s.CopyTo(data);
            }
            var bytes = data.GetBuffer().AsSpan(0, checked((int)data.Length));
            long offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var spec = ReadSpec(entry);
                long length = spec.ByteLength;
                if (offset + length > bytes.Length)
                    throw new VideoFerException(
                        $"weights shards end after {bytes.Length} bytes, before weight {spec.Name} (needs bytes {offset}..{offset + length}); truncated download?");
                result[spec.Name] = new TfJsWeight(spec, TfJsWeightDecoder.Decode(spec, bytes.Slice((int)offset, (int)length)));
                offset += length;
            }
        }
        return result;
    }

    private static TfJsWeightSpec ReadSpec(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        TfJsQuantization? quantization = null;
        if (e.TryGetProperty("quantization", out var q))
            quantization = new TfJsQuantization(
                q.GetProperty("dtype").GetString()!,
                q.TryGetProperty("scale", out var scale) ? scale.GetDouble() : null,
                q.TryGetProperty("min", out var min) ? min.GetDouble() : null);
        return new TfJsWeightSpec(e.GetProperty("name").GetString()!, shape, e.GetProperty("dtype").GetString()!, quantization);
    }
}
