using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VideoFer.Models.Backbones;
using YamlDotNet.Serialization;

namespace VideoFer.Training.Config;

/// <summary>Reads a training config (JSON or YAML, snake_case keys), applies <c>key=value</c> overrides
/// and validates it. Every error names the key, the file, and what is allowed.</summary>
public static class TrainConfigLoader
{
    static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false), new TextOrBoolConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>All keys a config may hold, in file order.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        typeof(TrainConfig).GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).OfType<JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
            .Where(n => n != null).Select(n => n!).ToArray();

    public static TrainConfig Load(string? path, IEnumerable<string>? overrides = null)
    {
        var node = JsonSerializer.SerializeToNode(new TrainConfig(), Options)!.AsObject();
        // Where each key's value came from, so that a bad value blames the file or the --set that gave it.
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        // A key nobody set (a required one left empty) is blamed on the config as given.
        string given = path ?? (overrides?.Any() == true ? "--set" : "defaults");
        string SourceOf(string key) => origin.GetValueOrDefault(key, given);
        if (path != null)
        {
            if (!File.Exists(path)) throw VideoFerException.InFile(path, "config file not found");
            foreach (var (key, value) in ReadFile(path))
            {
                Set(node, key, value, path);
                origin[key] = path;
            }
        }
        foreach (var o in overrides ?? [])
        {
            int eq = o.IndexOf('=');
            if (eq <= 0) throw new VideoFerException($"--set '{o}': expected key=value, e.g. --set lr=0.001");
            string key = o[..eq].Trim(), text = o[(eq + 1)..].Trim();
            Set(node, key, ParseScalar(key, text), $"--set {o}");
            origin[key] = $"--set {o}";
        }
        TrainConfig config;
        try
        {
            config = node.Deserialize<TrainConfig>(Options)!;
        }
        catch (JsonException e)
        {
            string key = (e.Path ?? "$").TrimStart('$', '.');
            throw new VideoFerException($"{SourceOf(key)}: key '{key}': {Expectation(key)}");
        }
        return Validate(config, SourceOf);
    }

    /// <summary>The effective config, as saved with every run.</summary>
    public static string ToJson(TrainConfig config) => JsonSerializer.Serialize(config, Options);

    public static TrainConfig FromJson(string json, string source)
    {
        try { return JsonSerializer.Deserialize<TrainConfig>(json, Options)!; }
        catch (JsonException e) { throw VideoFerException.InFile(source, $"config is unreadable ({e.Message})"); }
    }

    static IEnumerable<(string Key, JsonNode? Value)> ReadFile(string path)
    {
        string text = File.ReadAllText(path);
        bool yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        JsonNode? root;
        try
        {
            if (yaml)
            {
                var graph = new DeserializerBuilder().Build().Deserialize<object>(text);
                string json = new SerializerBuilder().JsonCompatible().Build().Serialize(graph ?? new Dictionary<object, object>());
                root = JsonNode.Parse(json);
            }
            else root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"not valid JSON ({e.Message})", (int?)(e.LineNumber + 1));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw VideoFerException.InFile(path, $"not valid YAML ({e.InnerException?.Message ?? e.Message})", (int)e.Start.Line);
        }
        if (root is not JsonObject obj)
            throw VideoFerException.InFile(path, "expected a mapping of keys to values at the top level");
        foreach (var (key, value) in obj.ToList())
            yield return (key, value?.DeepClone());
    }

    static void Set(JsonObject node, string key, JsonNode? value, string source)
    {
        if (!Keys.Contains(key))
        {
            var near = Keys.OrderBy(k => Distance(k, key)).First();
            throw new VideoFerException($"{source}: unknown key '{key}' (did you mean '{near}'?); known keys: {string.Join(", ", Keys)}");
        }
        node[key] = value;
    }

    static JsonNode? ParseScalar(string key, string text)
    {
        if (text.StartsWith('[')) // lists: --set cropped=[a,b]
            return new JsonArray(text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        if (key == "cropped") return new JsonArray(JsonValue.Create(text));
        if (text is "null" or "") return null;
        return JsonValue.Create(text); // strings; numbers are read from strings
    }

    static string Expectation(string key)
    {
        var property = typeof(TrainConfig).GetProperties().FirstOrDefault(p =>
            p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).OfType<JsonPropertyNameAttribute>().Any(a => a.Name == key));
        if (property == null) return "invalid value";
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type.IsEnum) return "expected one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
        if (type == typeof(int)) return "expected an integer";
        if (type == typeof(double)) return "expected a number";
        if (type == typeof(string)) return "expected a string";
        if (type == typeof(bool)) return "expected true or false";
        return "expected a list of paths";
    }

    /// <summary>Range and consistency checks, each naming its key and the allowed values.</summary>
    public static TrainConfig Validate(TrainConfig c, string source) => Validate(c, _ => source);

    static TrainConfig Validate(TrainConfig c, Func<string, string> sourceOf)
    {
        void Fail(string key, string what) => throw new VideoFerException($"{sourceOf(key)}: key '{key}': {what}");
        if (!ResNetSpec.KnownNames.Contains(c.Arch)) Fail("arch", $"'{c.Arch}' is not allowed; allowed: {string.Join(", ", ResNetSpec.KnownNames)}");
        if (c.Classes is not (7 or 8)) Fail("classes", $"{c.Classes} is not allowed; allowed: 7, 8");
        if (c.LstmHidden < 1) Fail("lstm_hidden", "expected a positive integer");
        if (c.LstmLayers < 1) Fail("lstm_layers", "expected a positive integer");
        if (c.FcHidden < 1) Fail("fc_hidden", "expected a positive integer");
        if (c.Dropout is < 0 or >= 1) Fail("dropout", "expected a number in [0, 1)");
        if (c.ClipLength < 1) Fail("clip_length", "expected a positive integer");
        if (c.InputSize < 64) Fail("input_size", "expected at least 64");
        if (c.BaseSize < c.InputSize) Fail("base_size", $"expected at least input_size ({c.InputSize})");
        // Any positive finite rate: a rate that makes the run diverge stops it at the first non-finite loss (Trainer).
        if (!(c.LearningRate > 0 && double.IsFinite(c.LearningRate))) Fail("lr", "expected a positive number");
        if (c.Momentum is < 0 or >= 1) Fail("momentum", "expected a number in [0, 1)");
        if (c.WeightDecay < 0) Fail("weight_decay", "expected a non-negative number");
        if (c.BatchSize < 1) Fail("batch_size", "expected a positive integer");
        if (c.Iterations < 1) Fail("iterations", "expected a positive integer");
        if (c.MaxMinutes < 0) Fail("max_minutes", "expected 0 (no limit) or a positive number");
        if (c.CheckpointEvery < 1) Fail("checkpoint_every", "expected a positive integer");
        if (c.EvalEvery < 0) Fail("eval_every", "expected 0 (never) or a positive integer");
        if (c.EvalMaxVideos < 0) Fail("eval_max_videos", "expected 0 (all) or a positive integer");
        if (c.KeepCheckpoints < 0) Fail("keep_checkpoints", "expected 0 (all) or a positive integer");
        if (c.Workers < 1) Fail("workers", "expected a positive integer");
        if (c.Prefetch < 1) Fail("prefetch", "expected a positive integer");
        if (c.Threads < 0) Fail("threads", "expected 0 (all cores) or a positive integer");
        if (c.Device is not ("cpu" or "cuda" or "auto") && !c.Device.StartsWith("cuda:"))
            Fail("device", $"'{c.Device}' is not allowed; allowed: cpu, cuda, cuda:N, auto");
        if (c.Stage == TrainStage.Clips && c.AffWild2 == null)
            Fail("affwild2", "the clips stage needs an Aff-Wild2 root");
        if (c.Stage == TrainStage.Frames && c.AffectNet == null && c.RafDb == null && c.AffWild2 == null)
            Fail("affectnet", "the frames stage needs an AffectNet, RAF-DB (key 'rafdb') or Aff-Wild2 (key 'affwild2') root");
        Datasets.AbawTasks tasks = Datasets.AbawTasks.None;
        try { tasks = c.TaskSet; }
        catch (VideoFerException e) { Fail("tasks", e.Message.Replace("tasks: ", "")); }
        if (tasks != Datasets.AbawTasks.Expression && c.Stage != TrainStage.Clips)
            Fail("tasks", "valence-arousal and action units are trained in the clips stage (Aff-Wild2); the frames stage trains expressions");
        foreach (var (key, weight) in new[] { ("expr_weight", c.ExpressionWeight), ("va_weight", c.VaWeight), ("au_weight", c.AuWeight) })
            if (!(weight >= 0 && double.IsFinite(weight))) Fail(key, "expected a non-negative number");
        var selected = c.SelectBy switch
        {
            SelectBy.Expr => Datasets.AbawTasks.Expression,
            SelectBy.Va => Datasets.AbawTasks.ValenceArousal,
            SelectBy.Au => Datasets.AbawTasks.ActionUnits,
            _ => Datasets.AbawTasks.None,
        };
        if (selected != Datasets.AbawTasks.None && !tasks.HasFlag(selected))
            Fail("select_by", $"'{Datasets.AbawTaskNames.Name(selected)}' is not among the tasks trained ({c.Tasks})");
        if (c.InitBackbone != null && c.InitCheckpoint != null)
            Fail("init_checkpoint", "give init_backbone or init_checkpoint, not both");
        return c;
    }

    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}

/// <summary>Booleans from JSON true/false and from the text "true"/"false" (any case), which is what
/// YAML files and --set give: both arrive here as strings.</summary>
sealed class TextOrBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out bool b) => b,
        _ => throw new JsonException("expected true or false"),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
