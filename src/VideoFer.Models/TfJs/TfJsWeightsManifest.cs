using System.Text.Json;

namespace VideoFer.Models.TfJs;

/// <summary>A stand-alone TF.js weights manifest, as face-api publishes its networks (<c>*-weights_manifest.json</c>):
/// a JSON array of groups <c>{"paths": [shard, ...], "weights": [{"name", "shape", "dtype", "quantization"?}, ...]}</c>,
/// the shards lying next to the manifest. A group's shards are one byte stream cut into files, holding its weights
/// back to back in manifest order. Values are decoded by <see cref="TfJsWeightDecoder"/>, as TF.js's loader does.
/// Stricter than TF.js on one point: shard bytes left over after the last weight are an error (a wrong or
/// damaged file), not ignored.</summary>
public static class TfJsWeightsManifest
{
    /// <summary>Reads the manifest and its shards into weights by name. Every problem is a
    /// <see cref="VideoFerException"/> whose message starts with the file at fault (the manifest or a shard).</summary>
    public static IReadOnlyDictionary<string, TfJsWeight> Read(string manifestPath)
    {
        string path = Path.GetFullPath(manifestPath);
        if (!File.Exists(path)) throw VideoFerException.InFile(path, "TF.js weights manifest not found");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"invalid JSON ({e.Message})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            // A model.json keeps the same groups under "weightsManifest".
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("weightsManifest", out var inner)) root = inner;
            if (root.ValueKind != JsonValueKind.Array)
                throw VideoFerException.InFile(path, "not a TF.js weights manifest (expected a JSON array of weight groups)");
            try
            {
                return ReadGroups(root, Path.GetDirectoryName(path)!, path);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or OverflowException)
            {
                throw VideoFerException.InFile(path, $"malformed TF.js weights manifest ({e.Message})");
            }
        }
    }

    /// <summary>The weights of the manifest groups <paramref name="groups"/> (a JSON array), whose shard paths are
    /// relative to <paramref name="folder"/>; <paramref name="manifestPath"/> names the manifest in errors about it.</summary>
    public static Dictionary<string, TfJsWeight> ReadGroups(JsonElement groups, string folder, string manifestPath)
    {
        var result = new Dictionary<string, TfJsWeight>(StringComparer.Ordinal);
        foreach (var group in groups.EnumerateArray())
        {
            var shardPaths = group.GetProperty("paths").EnumerateArray()
                .Select(p => Path.GetFullPath(Path.Combine(folder, p.GetString()!))).ToList();
            var specs = group.GetProperty("weights").EnumerateArray().Select(ReadSpec).ToList();
            using var data = new MemoryStream();
            foreach (var shard in shardPaths)
            {
                if (!File.Exists(shard))
                    throw VideoFerException.InFile(shard, $"weights shard not found (named by {manifestPath})");
                using var s = File.OpenRead(shard);
                s.CopyTo(data);
            }
            // Which file the bytes at an offset came from, for error messages.
            string At(long offset)
            {
                long end = 0;
                foreach (var shard in shardPaths)
                {
                    end += new FileInfo(shard).Length;
                    if (offset < end) return shard;
                }
                return shardPaths.Count > 0 ? shardPaths[^1] : manifestPath;
            }

            byte[] buffer = data.GetBuffer();
            long total = data.Length;
            long position = 0;
            foreach (var spec in specs)
            {
                long length = InManifest(manifestPath, () => spec.ByteLength);
                if (position + length > total)
                    throw VideoFerException.InFile(At(total), $"weights end after {total} bytes, before weight {spec.Name} " +
                        $"(needs bytes {position}..{position + length}, as {manifestPath} says); truncated download?");
                var values = InManifest(manifestPath, () => TfJsWeightDecoder.Decode(spec, new ReadOnlySpan<byte>(buffer, checked((int)position), checked((int)length))));
                if (!result.TryAdd(spec.Name, new TfJsWeight(spec, values)))
                    throw VideoFerException.InFile(manifestPath, $"weight {spec.Name} is listed twice");
                position += length;
            }
            if (position != total)
                throw VideoFerException.InFile(At(position), $"{total - position} bytes left over after the {specs.Count} weights " +
                    $"{manifestPath} lists ({position} bytes); not the shard this manifest describes?");
        }
        return result;
    }

    // The decoder's errors (an unknown dtype or quantisation) are the manifest's.
    private static T InManifest<T>(string manifestPath, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (VideoFerException e)
        {
            throw VideoFerException.InFile(manifestPath, e.Message);
        }
    }

    /// <summary>One manifest entry: name, shape, dtype and optional quantisation.</summary>
    public static TfJsWeightSpec ReadSpec(JsonElement entry)
    {
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Any(d => d < 0))
            throw new FormatException($"weight {entry.GetProperty("name").GetString()} has a negative dimension");
        TfJsQuantization? quantization = null;
        if (entry.TryGetProperty("quantization", out var q))
            quantization = new TfJsQuantization(
                q.GetProperty("dtype").GetString()!,
                q.TryGetProperty("scale", out var scale) ? scale.GetDouble() : null,
                q.TryGetProperty("min", out var min) ? min.GetDouble() : null);
        return new TfJsWeightSpec(entry.GetProperty("name").GetString()!, shape, entry.GetProperty("dtype").GetString()!, quantization);
    }
}
