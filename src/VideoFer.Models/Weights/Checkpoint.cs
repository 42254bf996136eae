using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using VideoFer.Formats;

namespace VideoFer.Models.Weights;

/// <summary>Which of the two networks a checkpoint holds.</summary>
public enum ModelKind { Clip, Frame }

/// <summary>What VideoFer records beside the weights, so a checkpoint rebuilds its own network.</summary>
public sealed record CheckpointInfo(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("kind")] ModelKind Kind,
    [property: JsonPropertyName("config")] ExpressionNetConfig Config,
    [property: JsonPropertyName("videofer_version")] string VideoFerVersion)
{
    public const string CurrentFormat = "videofer-checkpoint/1";

    /// <summary>What the network was trained to see. Absent in checkpoints written before it was
    /// stored; <see cref="Checkpoint"/> fills it from their train_config when reading.</summary>
    [JsonPropertyName("preprocessing")]
    public Preprocessing? Preprocessing { get; init; }

    /// <summary>The class names of the outputs, in ABAW order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ClassNames => ExpressionClasses.Names(Config.Classes);

    public string Describe() =>
        $"{Config.Arch} {(Kind == ModelKind.Clip ? "clip" : "frame")} model, {Config.Classes} classes";
}

/// <summary>Whole-model checkpoints in PyTorch's own format: a torch.save dictionary
/// <c>{"model": state_dict, "videofer": json, ...}</c>. In Python,
/// <c>net.load_state_dict(torch.load(path)["model"])</c> loads it into the same network
/// (reference/videofer_reference.py defines it). Extra entries (optimiser state, iteration, ...)
/// may be stored beside "model".</summary>
public static class Checkpoint
{
    static readonly JsonSerializerOptions Json = JsonOutput.With(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    });

    public static string VideoFerVersion =>
        typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Saves a clip or frame model (atomically: temporary file, flush, rename) with the
    /// preprocessing it expects (default: what an untrained network of its config would be fed).</summary>
    public static void Save(string path, ExpressionNetwork model, IDictionary? extra = null, Preprocessing? preprocessing = null)
    {
        var info = new CheckpointInfo(CheckpointInfo.CurrentFormat, model.Kind, model.Config, VideoFerVersion)
        {
            Preprocessing = preprocessing ?? Preprocessing.For(model.Config, model.Kind),
        };
        var content = new Hashtable
        {
            ["model"] = model.state_dict(),
            ["videofer"] = JsonSerializer.Serialize(info, Json),
        };
        if (extra != null)
            foreach (DictionaryEntry e in extra) content[e.Key] = e.Value;
        StateDictFile.WriteObject(path, content);
    }

    /// <summary>Reads only the VideoFer metadata of a checkpoint (null for a bare state_dict).</summary>
    public static CheckpointInfo? ReadInfo(string path) => InfoOf(StateDictFile.ReadObject(path), path);

    static CheckpointInfo? InfoOf(Hashtable root, string path)
    {
        if (root["videofer"] is not string json) return null;
        CheckpointInfo info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(json, Json)
                   ?? throw new JsonException("empty metadata");
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"VideoFer metadata is unreadable ({e.Message})");
        }
        // Deserialisation leaves absent members null: "{}" parses, but describes no network.
        if (info.Format is null || info.Config is null)
            throw VideoFerException.InFile(path, $"VideoFer metadata lacks {(info.Format is null ? "'format'" : "'config'")} (got {Quote(json)})");
        try
        {
            info.Config.Validate();
        }
        catch (VideoFerException e)
        {
            throw VideoFerException.InFile(path, $"VideoFer metadata holds an invalid config: {e.Message}");
        }
        var preprocessing = info.Preprocessing ?? Preprocessing.For(info.Config, info.Kind, TrainedBaseSize(root, path));
        if (preprocessing.Problem() is string problem)
            throw VideoFerException.InFile(path, $"VideoFer metadata holds an invalid preprocessing: {problem}");
        return info with { Preprocessing = preprocessing };
    }

    static string Quote(string json) => json.Length <= 60 ? json : json[..60] + "...";

    /// <summary>base_size of the train_config a training checkpoint carries (older checkpoints stored
    /// the sizes only there), or null.</summary>
    static int? TrainedBaseSize(Hashtable root, string path)
    {
        if (root["train_config"] is not string config) return null;
        try
        {
            using var doc = JsonDocument.Parse(config);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("base_size", out var v) && v.TryGetInt32(out int size) ? size : null;
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"train_config is unreadable ({e.Message})");
        }
    }

    /// <summary>Loads a checkpoint into a new network of the kind and configuration it records.
    /// When <paramref name="expectedArch"/> is given, a checkpoint of another architecture is refused.</summary>
    public static (ExpressionNetwork Model, CheckpointInfo Info) Load(string path, string? expectedArch = null, ModelKind? expectedKind = null)
    {
        Hashtable root = StateDictFile.ReadObject(path);
        CheckpointInfo info = InfoOf(root, path)
            ?? throw VideoFerException.InFile(path, "has no VideoFer metadata (a bare state_dict?); " +
                "load it into a network of known architecture with --arch, or create a checkpoint with `videofer model init`");
        if (expectedArch != null && !string.Equals(info.Config.Arch, expectedArch, StringComparison.OrdinalIgnoreCase))
            throw VideoFerException.InFile(path, $"is a checkpoint of {info.Describe()}, not of {expectedArch}");
        if (expectedKind != null && info.Kind != expectedKind)
            throw VideoFerException.InFile(path, $"is a checkpoint of {info.Describe()}; a {expectedKind.ToString()!.ToLowerInvariant()} model is needed here");
        var model = ExpressionNetwork.Create(info.Kind, info.Config);
        var weights = StateDictFile.ReadStateDict(path);
        try
        {
            WeightLoader.Load(model, weights, path, strict: true);
            RequireFinite(weights, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        model.eval();
        return (model, info);
    }

    /// <summary>The clip model of a checkpoint (refused, by name, if it holds another kind).</summary>
    public static (ExpressionNet Model, CheckpointInfo Info) LoadClip(string path)
    {
        var (model, info) = Load(path, expectedKind: ModelKind.Clip);
        return ((ExpressionNet)model, info);
    }

    /// <summary>A NaN or infinite weight makes every output NaN, which an argmax would quietly call
    /// class 0 (Neutral); such a checkpoint is refused instead.</summary>
    static void RequireFinite(Dictionary<string, Tensor> weights, string path)
    {
        foreach (var (key, tensor) in weights)
        {
            if (!tensor.is_floating_point()) continue;
            using var finite = isfinite(tensor).all();
            if (!finite.item<bool>())
                throw VideoFerException.InFile(path, $"weight '{key}' holds NaN or infinite values (a diverged training?); it cannot give probabilities");
        }
    }

    /// <summary>Loads a torchvision/PyTorch ResNet state_dict (for example ImageNet weights) into a
    /// network's backbone. The file's classifier ("fc.*") is ignored. When the file has no CBAM
    /// tensors and the backbone has CBAM, the CBAM modules keep their initialisation; every other
    /// key must match exactly.</summary>
    public static LoadReport LoadBackbone(Backbones.ResNet backbone, string path)
    {
        var weights = StateDictFile.ReadStateDict(path);
        // Accept both a bare torchvision state_dict and a VideoFer checkpoint's "backbone." keys.
        bool nested = weights.Keys.Any(k => k.StartsWith("backbone.", StringComparison.Ordinal));
        var source = nested
            ? weights.Where(kv => kv.Key.StartsWith("backbone.", StringComparison.Ordinal))
                     .ToDictionary(kv => kv.Key["backbone.".Length..], kv => kv.Value)
            : weights.Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal))
                     .ToDictionary(kv => kv.Key, kv => kv.Value);
        bool fileHasCbam = source.Keys.Any(k => k.Contains(".cbam.", StringComparison.Ordinal));
        Func<string, bool>? only = fileHasCbam || !backbone.Spec.Cbam
            ? null
            : key => !key.Contains(".cbam.", StringComparison.Ordinal);
        var report = WeightLoader.Load(backbone, source, path, strict: true, onlyModuleKeys: only);
        foreach (var t in weights.Values) t.Dispose();
        return report;
    }
}
