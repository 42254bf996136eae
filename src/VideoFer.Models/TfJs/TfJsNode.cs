using System.Text;
using System.Text.Json;

namespace VideoFer.Models.TfJs;

/// <summary>One node of a TF.js graph model's topology (a TensorFlow NodeDef written as JSON): its name,
/// op, data inputs and attributes. Attribute values follow TensorFlow's AttrValue JSON mapping:
/// strings are base64, 64-bit integers are decimal strings.</summary>
public sealed class TfJsNode
{
    private readonly JsonElement attributes;

    public TfJsNode(string name, string op, IReadOnlyList<string> inputs, JsonElement attributes)
    {
        Name = name;
        Op = op;
        Inputs = inputs;
        this.attributes = attributes;
    }

    public string Name { get; }

    public string Op { get; }

    /// <summary>Names of the nodes whose first output feeds this node, in order. Control dependencies
    /// ("^name") are dropped: they order side effects, and the supported ops have none.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public bool HasAttribute(string name) =>
        attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(name, out _);

    /// <summary>A string attribute (such as padding or data_format), decoded from base64; null when absent.</summary>
    public string? GetString(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("s", out var s) ? Decode(s.GetString()!) : null;

    /// <summary>A list-of-ints attribute (strides, ksize, dilations); null when absent, empty when the list is.</summary>
    public long[]? GetInts(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list)) return null;
        if (!list.TryGetProperty("i", out var items)) return [];
        return items.EnumerateArray().Select(ParseInt).ToArray();
    }

    /// <summary>A list-of-strings attribute (fused_ops), decoded from base64; null when absent.</summary>
    public string[]? GetStrings(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list)) return null;
        if (!list.TryGetProperty("s", out var items)) return [];
        return items.EnumerateArray().Select(e => Decode(e.GetString()!)).ToArray();
    }

    public long? GetInt(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("i", out var i) ? ParseInt(i) : null;

    public bool? GetBool(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("b", out var b) ? b.GetBoolean() : null;

    public double? GetFloat(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("f", out var f) ? ParseFloat(f) : null;

    /// <summary>A shape attribute (a Placeholder's "shape"): dimensions with -1 for unknown ones; null when
    /// absent or of unknown rank.</summary>
    public long[]? GetShape(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("shape", out var shape)) return null;
        if (shape.TryGetProperty("unknownRank", out var unknown) && unknown.GetBoolean()) return null;
        if (!shape.TryGetProperty("dim", out var dims)) return [];
        return dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var s) ? ParseInt(s) : -1).ToArray();
    }

    public override string ToString() => $"{Name} ({Op})";

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(name, out value);
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    // int64 values are strings in the JSON mapping; accept plain numbers too.
    private static long ParseInt(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64();

    // Non-finite floats are the strings "NaN", "Infinity", "-Infinity".
    private static double ParseFloat(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
}
