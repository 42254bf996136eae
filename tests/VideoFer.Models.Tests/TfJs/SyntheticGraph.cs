using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Writes small TF.js graph models by hand (model.json + one .bin of float32 weights) to exercise ops
/// and attributes the emotion model does not: asymmetric SAME padding in a strided convolution, a depthwise
/// convolution and a max pool, a fused depthwise convolution, Relu6, a plain Conv2D and a broadcast AddV2.</summary>
public sealed class SyntheticGraph
{
    readonly JsonArray nodes = [];
    readonly JsonArray specs = [];
    readonly MemoryStream data = new();
    readonly Random random;

    public SyntheticGraph(int seed) => random = new Random(seed);

    /// <summary>Input [N, 9, 10, 3] -> fused 3x3/2 conv SAME (+bias, Relu6) -> fused 2x2 depthwise SAME, multiplier 2
    /// (+bias; negative values reach the pool) -> 2x2/2 max pool SAME -> 1x1 Conv2D -> AddV2 of a [5] constant -> Relu -> spatial Mean -> Softmax.
    /// The 10-wide and 5-wide stages get their odd padding element on the right/bottom only, as TF wants.
    /// <paramref name="replaceOp"/> swaps one node's op (by node name) to build broken models.</summary>
    public static string WriteTestNet(string folder, int seed, (string Node, string Op)? replaceOp = null, string? fusedActivation = null)
    {
        var g = new SyntheticGraph(seed);
        g.Placeholder("input", [-1, 9, 10, 3]);
        g.Weight("w1", [3, 3, 3, 4]);
        g.Weight("b1", [4]);
        g.Node("conv1", "_FusedConv2D", ["input", "w1", "b1"],
            Strides(2), Dilations(), Nhwc(), Padding("SAME"), Fused("BiasAdd", fusedActivation ?? "Relu6"), ("num_args", new JsonObject { ["i"] = "1" }));
        g.Weight("dw", [2, 2, 4, 2]);
        g.Weight("db", [8]);
        g.Node("depthwise", "FusedDepthwiseConv2dNative", ["conv1", "dw", "db"],
            Strides(1), Dilations(), Nhwc(), Padding("SAME"), Fused("BiasAdd"), ("num_args", new JsonObject { ["i"] = "1" }));
        g.Node("pool", "MaxPool", ["depthwise"], Strides(2), Padding("SAME"), ("ksize", IntList(1, 2, 2, 1)));
        g.Weight("w4", [1, 1, 8, 5]);
        g.Node("conv4", "Conv2D", ["pool", "w4"], Strides(1), Dilations(), Nhwc(), Padding("VALID"));
        g.Weight("c5", [5]);
        g.Node("add", "AddV2", ["conv4", "c5"]);
        g.Node("relu", "Relu", ["add"]);
        g.IntWeight("axes", [1, 2]);
        g.Node("mean", "Mean", ["relu", "axes"], ("keep_dims", new JsonObject { ["b"] = false }));
        g.Node("softmax", "Softmax", ["mean"]);
        g.Node("Identity", "Identity", ["softmax"]);
        if (replaceOp is var (node, op))
            foreach (var n in g.nodes)
                if ((string)n!["name"]! == node) n["op"] = op;
        return g.Save(folder);
    }

    /// <summary>Input [N, 6, 7, 3] -> 3x3 conv SAME fused with BiasAdd and Prelu (alpha [1, 1, 4]) -> branch a: 1x1
    /// conv (+ bias) then Prelu with a [1, 1, 6] alpha; branch b: the fused conv itself -> ConcatV2 on axis 3 (or -1)
    /// -> [N, 6, 7, 10]. <paramref name="axisFromInput"/> feeds the axis from a float node instead of a constant.</summary>
    public static string WritePreluConcatNet(string folder, int seed, bool axisFromInput = false)
    {
        var g = new SyntheticGraph(seed);
        g.Placeholder("input", [-1, 6, 7, 3]);
        g.Weight("w1", [3, 3, 3, 4]);
        g.Weight("b1", [4]);
        g.Weight("alpha1", [1, 1, 4]);
        g.Node("conv1", "_FusedConv2D", ["input", "w1", "b1", "alpha1"],
            Strides(1), Dilations(), Nhwc(), Padding("SAME"), Fused("BiasAdd", "Prelu"), ("num_args", new JsonObject { ["i"] = "2" }));
        g.Weight("w2", [1, 1, 4, 6]);
        g.Weight("b2", [6]);
        g.Node("conv2", "_FusedConv2D", ["conv1", "w2", "b2"],
            Strides(1), Dilations(), Nhwc(), Padding("VALID"), Fused("BiasAdd"), ("num_args", new JsonObject { ["i"] = "1" }));
        g.Weight("alpha2", [1, 1, 6]);
        g.Node("prelu", "Prelu", ["conv2", "alpha2"]);
        if (axisFromInput) g.Node("axis", "Relu", ["alpha2"]);
        else g.IntWeight("axis", [-1]);
        g.Node("concat", "ConcatV2", ["prelu", "conv1", "axis"], ("N", new JsonObject { ["i"] = "2" }), ("Tidx", new JsonObject { ["type"] = "DT_INT32" }));
        g.Node("Identity", "Identity", ["concat"]);
        return g.Save(folder);
    }

    void Placeholder(string name, long[] shape) =>
        Node(name, "Placeholder", [], ("dtype", new JsonObject { ["type"] = "DT_FLOAT" }),
            ("shape", new JsonObject { ["shape"] = new JsonObject { ["dim"] = new JsonArray(shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString() }).ToArray()) } }));

    void Weight(string name, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        data.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        AddConst(name, shape, "float32", "DT_FLOAT");
    }

    void IntWeight(string name, int[] values)
    {
        data.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        AddConst(name, [values.Length], "int32", "DT_INT32");
    }

    void AddConst(string name, long[] shape, string dtype, string tfType)
    {
        specs.Add(new JsonObject { ["name"] = name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = dtype });
        Node(name, "Const", [], ("dtype", new JsonObject { ["type"] = tfType }));
    }

    void Node(string name, string op, string[] inputs, params (string Key, JsonNode Value)[] attrs)
    {
        var attr = new JsonObject();
        foreach (var (k, v) in attrs) attr[k] = v;
        if (op != "Const" && op != "Placeholder") attr["T"] = new JsonObject { ["type"] = "DT_FLOAT" };
        nodes.Add(new JsonObject
        {
            ["name"] = name, ["op"] = op, ["input"] = new JsonArray(inputs.Select(i => (JsonNode)i).ToArray()), ["attr"] = attr,
        });
    }

    string Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), data.ToArray());
        var model = new JsonObject
        {
            ["format"] = "graph-model",
            ["generatedBy"] = "VideoFer tests",
            ["convertedBy"] = "VideoFer tests",
            ["modelTopology"] = new JsonObject { ["node"] = nodes, ["library"] = new JsonObject(), ["versions"] = new JsonObject() },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("weights.bin"), ["weights"] = specs }),
        };
        string path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, model.ToJsonString());
        return path;
    }

    static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
    static JsonObject IntList(params long[] v) => new() { ["list"] = new JsonObject { ["i"] = new JsonArray(v.Select(x => (JsonNode)x.ToString()).ToArray()) } };
    // The converter always writes dilations and data_format next to strides; TF.js needs the dilations.
    static (string, JsonNode) Strides(long s) => ("strides", IntList(1, s, s, 1));
    static (string, JsonNode) Dilations() => ("dilations", IntList(1, 1, 1, 1));
    static (string, JsonNode) Nhwc() => ("data_format", new JsonObject { ["s"] = B64("NHWC") });
    static (string, JsonNode) Padding(string p) => ("padding", new JsonObject { ["s"] = B64(p) });
    static (string, JsonNode) Fused(params string[] ops) =>
        ("fused_ops", new JsonObject { ["list"] = new JsonObject { ["s"] = new JsonArray(ops.Select(o => (JsonNode)B64(o)).ToArray()) } });
}
