using TorchSharp;
using static TorchSharp.torch;

namespace VideoFer.Models.TfJs;

/// <summary>A TF.js graph model (model.json + weight shards, as written by tensorflowjs_converter) run on
/// TorchSharp. Loading checks every op against the supported set, converts the weights once (filters to
/// PyTorch's layouts) and fixes the execution order; <see cref="Execute(Tensor)"/> then takes and returns
/// tensors in TensorFlow's layout (NHWC images), as TF.js's <c>model.execute</c> does.</summary>
public sealed class TfJsGraphModel : IDisposable
{
    private readonly List<TfJsNode> order;
    private readonly Dictionary<string, Tensor> constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> filters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> intConstants = new(StringComparer.Ordinal);
    private readonly Device device;
    private readonly Dictionary<string, TfJsNode> byName;
    // Execution orders for requested intermediate nodes, computed once per request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<TfJsNode>> partialOrders = new(StringComparer.Ordinal);

    private TfJsGraphModel(string path, Dictionary<string, TfJsNode> byName, List<TfJsNode> order, IReadOnlyList<TfJsNode> inputs, IReadOnlyList<TfJsNode> outputs, Device device)
    {
        Path = path;
        this.byName = byName;
        this.order = order;
        Inputs = inputs;
        Outputs = outputs;
        this.device = device;
    }

    /// <summary>Full path of the model.json.</summary>
    public string Path { get; }

    /// <summary>True when image inputs may have another height and width than declared.</summary>
    public bool AnyImageSize { get; private init; }

    /// <summary>The Placeholder nodes, in file order.</summary>
    public IReadOnlyList<TfJsNode> Inputs { get; }

    /// <summary>The nodes no other node consumes (the model's results), in file order.</summary>
    public IReadOnlyList<TfJsNode> Outputs { get; }

    /// <summary>The declared shape of a Placeholder (-1 for a free dimension); null when undeclared.</summary>
    public static long[]? DeclaredShape(TfJsNode placeholder) => placeholder.GetShape("shape");

    /// <summary>Loads a graph model; an op outside the supported set, a missing weight or a malformed file
    /// is a <see cref="VideoFerException"/> naming the file.</summary>
    public static TfJsGraphModel Load(string modelJsonPath, Device? device = null) => Load(modelJsonPath, device, anyImageSize: false);

    /// <summary>Loads a graph model; with <paramref name="anyImageSize"/> a rank-4 input's height and width may
    /// differ from the declared ones (a fully convolutional network with global pooling runs at any size).</summary>
    public static TfJsGraphModel Load(string modelJsonPath, Device? device, bool anyImageSize)
    {
        var file = TfJsModelFile.Read(modelJsonPath);
        var byName = new Dictionary<string, TfJsNode>(StringComparer.Ordinal);
        foreach (var node in file.Nodes)
            if (!byName.TryAdd(node.Name, node))
                throw VideoFerException.InFile(file.Path, $"two nodes named {node.Name}");

        foreach (var node in file.Nodes) CheckSupported(file.Path, node);

        var consumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in file.Nodes)
            foreach (var input in node.Inputs) consumed.Add(SourceName(file.Path, node, input));
        var outputs = file.Nodes.Where(n => !consumed.Contains(n.Name) && n.Op != "Const").ToList();
        var inputs = file.Nodes.Where(n => n.Op == "Placeholder").ToList();
        if (outputs.Count == 0) throw VideoFerException.InFile(file.Path, "the graph has no output node");

        var model = new TfJsGraphModel(file.Path, byName, TopologicalOrder(file.Path, outputs, byName), inputs, outputs, device ?? CPU)
        {
            AnyImageSize = anyImageSize,
        };
        try
        {
            model.PrepareWeights(file);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Runs a model with one input and one output: <paramref name="input"/> in TensorFlow's layout
    /// (for an image model, [N, H, W, C] float32); returns the output, also in TensorFlow's layout.</summary>
    public Tensor Execute(Tensor input)
    {
        if (Inputs.Count != 1 || Outputs.Count != 1)
            throw new InvalidOperationException($"{Path}: {Inputs.Count} inputs and {Outputs.Count} outputs; use the dictionary overload");
        var result = Execute(new Dictionary<string, Tensor> { [Inputs[0].Name] = input });
        return result[Outputs[0].Name];
    }

    /// <summary>Runs the graph on named inputs (TensorFlow layout) and returns every output node's value by name.
    /// The caller owns the returned tensors.</summary>
    public Dictionary<string, Tensor> Execute(IReadOnlyDictionary<string, Tensor> inputs) => Execute(inputs, order, Outputs);

    /// <summary>Runs only the part of the graph that <paramref name="nodeNames"/> need and returns those nodes'
    /// values (TensorFlow layout) by name: intermediate nodes too, as TF.js's <c>model.execute(inputs, names)</c>
    /// does (a face-embedding model's descriptor is the input of its age and gender heads). The caller owns the
    /// returned tensors.</summary>
    public Dictionary<string, Tensor> Execute(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string> nodeNames)
    {
        // "name:0" (a signature's spelling) is the node's first output, the only one any supported op has.
        var wanted = nodeNames.Select(n => byName.TryGetValue(n.EndsWith(":0", StringComparison.Ordinal) ? n[..^2] : n, out var node) && node.Op != "Const"
            ? node
            : throw new VideoFerException($"{Path}: no node {n} to compute")).ToList();
        var partial = partialOrders.GetOrAdd(string.Join('\n', wanted.Select(w => w.Name)), _ => TopologicalOrder(Path, wanted, byName));
        return Execute(inputs, partial, wanted);
    }

    private Dictionary<string, Tensor> Execute(IReadOnlyDictionary<string, Tensor> inputs, List<TfJsNode> plan, IReadOnlyList<TfJsNode> wanted)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var values = new Dictionary<string, TfJsValue>(StringComparer.Ordinal);
        foreach (var node in plan)
            values[node.Name] = Run(node, values, inputs);

        var results = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var output in wanted)
        {
            var t = values[output.Name].InTfLayout().contiguous();
            // A constant or a caller's input passed straight through must not be handed over as the result.
            if (constants.ContainsValue(t) || inputs.Values.Contains(t)) t = t.clone();
            results[output.Name] = t.MoveToOuterDisposeScope();
        }
        return results;
    }

    public void Dispose()
    {
        foreach (var t in constants.Values) t.Dispose();
        foreach (var t in filters.Values) t.Dispose();
        constants.Clear();
        filters.Clear();
    }

    private TfJsValue Run(TfJsNode node, Dictionary<string, TfJsValue> values, IReadOnlyDictionary<string, Tensor> inputs)
    {
        TfJsValue Arg(int i) => values[SourceName(Path, node, node.Inputs[i])];
        int[] IntArg(int i) => intConstants[SourceName(Path, node, node.Inputs[i])];
        RequireArgs(node);
        switch (node.Op)
        {
            case "Placeholder":
                if (!inputs.TryGetValue(node.Name, out var given))
                    throw new VideoFerException($"{Path}: no value given for input {node.Name}");
                return FromInput(node, given);
            case "Const":
                return new TfJsValue(constants[node.Name], Nchw: false);
            case "Identity":
                return Arg(0);
            case "Conv2D" or "_FusedConv2D" or "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative":
                var extra = Enumerable.Range(2, node.Inputs.Count - 2).Select(i => Arg(i).Tensor).ToList();
                return TfJsOps.Convolution(node, Arg(0), filters[node.Name], extra);
            case "MaxPool":
                return TfJsOps.MaxPool(node, Arg(0));
            case "Add" or "AddV2":
                return TfJsOps.Add(Arg(0), Arg(1));
            case "Sub" or "Mul" or "Minimum" or "Maximum":
                return TfJsOps.Elementwise(node, Arg(0), Arg(1));
            case "MatMul" or "_FusedMatMul":
                var matmulExtra = Enumerable.Range(2, node.Inputs.Count - 2).Select(i => Arg(i).Tensor).ToList();
                return TfJsOps.MatMul(node, Arg(0), Arg(1), matmulExtra);
            case "Relu" or "Relu6" or "Sigmoid" or "Abs" or "Square" or "Rsqrt":
                return TfJsOps.Unary(node, Arg(0));
            case "Mean" or "Sum":
                return TfJsOps.Mean(node, Arg(0), IntArg(1));
            case "Squeeze":
                return TfJsOps.Squeeze(node, Arg(0));
            case "Pad":
                return TfJsOps.Pad(node, Arg(0), IntArg(1));
            case "Reshape":
                return TfJsOps.Reshape(Arg(0), IntArg(1));
            case "Softmax":
                return TfJsOps.Softmax(Arg(0));
            case "Prelu":
                return TfJsOps.Prelu(Arg(0), Arg(1));
            case "ConcatV2":
                int n = node.Inputs.Count - 1;
                return TfJsOps.Concat(node, Enumerable.Range(0, n).Select(Arg).ToList(), IntArg(n));
            default:
                throw new VideoFerException($"{Path}: unsupported TF.js op '{node.Op}' (node {node.Name})");
        }
    }

    // Images enter NHWC and are kept NCHW from here on.
    private TfJsValue FromInput(TfJsNode node, Tensor given)
    {
        if (given.dtype != ScalarType.Float32)
            throw new VideoFerException($"{Path}: input {node.Name} must be float32, not {given.dtype}");
        var declared = DeclaredShape(node);
        if (declared != null)
        {
            bool fits = declared.Length == given.dim() &&
                        declared.Select((d, i) => d < 0 || d == given.shape[i] || (AnyImageSize && declared.Length == 4 && i is 1 or 2)).All(ok => ok);
            if (!fits)
                throw new VideoFerException(
                    $"{Path}: input {node.Name} has shape [{string.Join(", ", given.shape)}], the model expects [{string.Join(", ", declared)}]");
        }
        var x = given.to(device);
        return x.dim() == 4 ? new TfJsValue(x.permute(0, 3, 1, 2), Nchw: true) : new TfJsValue(x, Nchw: false);
    }

    private void PrepareWeights(TfJsModelFile file)
    {
        foreach (var node in order.Where(n => n.Op == "Const"))
        {
            if (!file.Weights.TryGetValue(node.Name, out var weight))
                throw VideoFerException.InFile(Path, $"constant {node.Name} has no entry in the weights manifest");
            var shape = weight.Spec.Shape;
            constants[node.Name] = weight.Values switch
            {
                float[] f => torch.tensor(f, shape, device: device),
                int[] i => torch.tensor(i, shape, device: device),
                bool[] b => torch.tensor(b, shape, device: device),
                _ => throw VideoFerException.InFile(Path, $"constant {node.Name}: unsupported values"),
            };
            if (weight.Values is int[] ints) intConstants[node.Name] = ints;
        }
        foreach (var node in order.Where(n => TfJsOps.IsConvolution(n.Op)))
        {
            string filterName = SourceName(Path, node, node.Inputs[1]);
            if (!constants.TryGetValue(filterName, out var tfFilter))
                throw VideoFerException.InFile(Path, $"node {node.Name}: the filter {filterName} must be a constant");
            try
            {
                filters[node.Name] = TfJsOps.PrepareFilter(node.Op, tfFilter);
            }
            catch (VideoFerException e)
            {
                throw VideoFerException.InFile(Path, $"node {node.Name}: {e.Message}");
            }
        }
        foreach (var node in order.Where(n => n.Op == "ConcatV2"))
            if (!intConstants.ContainsKey(SourceName(Path, node, node.Inputs[^1])))
                throw VideoFerException.InFile(Path, $"node {node.Name}: its axis (the last input) must be an int32 constant");
        foreach (var node in order.Where(n => TfJsOps.IntConstantArgument.Contains(n.Op)))
            if (!intConstants.ContainsKey(SourceName(Path, node, node.Inputs[1])))
                throw VideoFerException.InFile(Path, $"node {node.Name}: its {(node.Op == "Pad" ? "paddings" : node.Op == "Reshape" ? "shape" : "reduction axes")} must be an int32 constant");
    }

    private static void CheckSupported(string path, TfJsNode node)
    {
        if (!TfJsOps.Supported.Contains(node.Op))
            throw VideoFerException.InFile(path,
                $"unsupported TF.js op '{node.Op}' (node {node.Name}); VideoFer's TF.js importer runs {string.Join(", ", TfJsOps.Supported.Order(StringComparer.Ordinal))}");
        if (node.Op is "_FusedConv2D" or "FusedDepthwiseConv2dNative" or "_FusedMatMul")
        {
            var fused = node.GetStrings("fused_ops") ?? [];
            var activations = fused.Length > 0 && fused[0] == "BiasAdd" ? fused.Skip(1) : fused;
            foreach (var op in activations)
                if (!TfJsOps.FusedActivations.Contains(op))
                    throw VideoFerException.InFile(path,
                        $"unsupported TF.js op '{node.Op}' fused with '{op}' (node {node.Name}); fused ops supported: BiasAdd then one of {string.Join(", ", TfJsOps.FusedActivations)}");
            if (fused.Length > 2 || (fused.Length == 2 && fused[0] != "BiasAdd"))
                throw VideoFerException.InFile(path,
                    $"unsupported TF.js op '{node.Op}' fused with [{string.Join(", ", fused)}] (node {node.Name})");
        }
    }

    private void RequireArgs(TfJsNode node)
    {
        int needed = node.Op switch
        {
            "Placeholder" or "Const" => 0,
            "Identity" or "MaxPool" or "Relu" or "Relu6" or "Sigmoid" or "Softmax" or "Abs" or "Square" or "Rsqrt" or "Squeeze" => 1,
            _ => 2, // binary ops, Mean (input, axes), convolutions (input, filter[, fused args])
        };
        if (node.Inputs.Count < needed)
            throw new VideoFerException($"{Path}: node {node.Name} ({node.Op}) has {node.Inputs.Count} inputs, needs {needed}");
    }

    // "name" or "name:0" -> "name"; other output indices belong to multi-output ops, none of which is supported.
    private static string SourceName(string path, TfJsNode node, string input)
    {
        int colon = input.LastIndexOf(':');
        if (colon < 0) return input;
        string index = input[(colon + 1)..];
        if (index == "0") return input[..colon];
        throw VideoFerException.InFile(path, $"node {node.Name} reads output {input}; multi-output ops are not supported");
    }

    private static List<TfJsNode> TopologicalOrder(string path, IEnumerable<TfJsNode> outputs, Dictionary<string, TfJsNode> byName)
    {
        var result = new List<TfJsNode>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the stack, true: done
        // Iterative depth-first search: deep graphs must not overflow the call stack.
        foreach (var output in outputs)
        {
            var stack = new Stack<(TfJsNode Node, int Next)>();
            if (state.ContainsKey(output.Name)) continue;
            stack.Push((output, 0));
            state[output.Name] = false;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Count)
                {
                    stack.Push((node, next + 1));
                    string source = SourceName(path, node, node.Inputs[next]);
                    if (!byName.TryGetValue(source, out var child))
                        throw VideoFerException.InFile(path, $"node {node.Name} reads {source}, which is not in the graph");
                    if (state.TryGetValue(source, out bool done))
                    {
                        if (!done) throw VideoFerException.InFile(path, $"the graph has a cycle through {source}");
                        continue;
                    }
                    state[source] = false;
                    stack.Push((child, 0));
                }
                else
                {
                    state[node.Name] = true;
                    result.Add(node);
                }
            }
        }
        return result;
    }
}
