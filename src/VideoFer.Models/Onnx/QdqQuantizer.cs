using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static TorchSharp.torch;

namespace VideoFer.Models.Onnx;

/// <summary>How activation ranges are taken from the calibration set: the extreme values seen, or
/// a percentile of them (outliers clipped, finer steps for the rest).</summary>
public enum CalibrationMethod { MinMax, Percentile }

/// <summary>What <see cref="QdqQuantizer"/> quantizes, and how it calibrates.</summary>
public sealed record QuantizationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>With <see cref="CalibrationMethod.Percentile"/>: the upper percentile kept (the lower is 100 minus it).</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Keep the first convolution (on the raw image) in float32.</summary>
    public bool FirstConvFloat { get; init; }

    /// <summary>Keep the last stage (layer4) in float32.</summary>
    public bool LastStageFloat { get; init; }

    /// <summary>Quantize the residual additions too (QLinearAdd); else they run in float32 between a
    /// dequantize and a quantize.</summary>
    public bool QuantizeAdds { get; init; } = true;

    /// <summary>The names <see cref="WithFloatParts"/> takes, one per part that can stay float32.</summary>
    public static IReadOnlyList<string> FloatPartNames { get; } = ["first-conv", "last-stage", "residual-adds"];

    /// <summary>These options with the named parts kept in float32 (comma-separated <see cref="FloatPartNames"/>;
    /// empty: none). Throws <see cref="VideoFerException"/> naming an unknown part.</summary>
    public QuantizationOptions WithFloatParts(string? parts)
    {
        var names = SplitFloatParts(parts);
        if (names.FirstOrDefault(n => !FloatPartNames.Contains(n)) is string unknown)
            throw new VideoFerException($"unknown part to keep in float32: '{unknown}' (known: {string.Join(", ", FloatPartNames)})");
        return this with
        {
            FirstConvFloat = FirstConvFloat || names.Contains("first-conv"),
            LastStageFloat = LastStageFloat || names.Contains("last-stage"),
            QuantizeAdds = QuantizeAdds && !names.Contains("residual-adds"),
        };
    }

    /// <summary>The names of a comma-separated list of parts (spaces and empty items ignored), known or not.</summary>
    public static string[] SplitFloatParts(string? parts) =>
        (parts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"min-max calibration", "percentile 99.999 calibration", plus the parts kept in float32.</summary>
    public string Describe() =>
        (Method == CalibrationMethod.MinMax ? "min-max" : $"percentile {Percentile}") + " calibration" +
        (FirstConvFloat ? ", first conv fp32" : "") + (LastStageFloat ? ", layer4 fp32" : "") + (QuantizeAdds ? "" : ", residual adds fp32");
}

/// <summary>Static int8 quantization of an exported network in ONNX's QDQ form, which ONNX Runtime turns
/// into integer kernels (QLinearConv, QLinearAdd): every backbone convolution gets per-channel symmetric
/// int8 weights, an int32 bias, and uint8 activations on its input and output with scales and zero points
/// from a calibration run; a ReLU after a convolution or a residual addition is folded into the output's
/// quantization (zero point 0 clamps as ReLU does). CBAM's gates (pools, MLP, 7x7 convolution, sigmoid),
/// the global pool, the BLSTM and the classifier stay float32.
/// Hand-written: .NET has no ONNX quantizer (ONNX Runtime's is the Python onnxruntime.quantization package);
/// this follows its QDQ conventions so that ONNX Runtime's own QDQ fusions apply.</summary>
public static class QdqQuantizer
{
    /// <summary>The int8 model of <paramref name="fp32"/> (not changed), calibrated on <paramref name="calibration"/>:
    /// inputs of the model's input shape (clips (B, T, 3, H, W) or images (N, 3, H, W)), already normalised.</summary>
    public static ModelProto Quantize(ModelProto fp32, IEnumerable<Tensor> calibration, QuantizationOptions? options = null)
    {
        options ??= new QuantizationOptions();
        var plan = Plan(fp32.Graph, options);
        var ranges = Calibrate(fp32, plan.Tensors.Keys.ToList(), calibration, options);
        return Rewrite(fp32, plan, ranges, options);
    }

    /// <summary>A tensor to quantize; <see cref="AfterRelu"/>: a ReLU was folded into it (its range starts at 0).</summary>
    sealed record QTensor(bool AfterRelu);

    sealed record QuantPlan(Dictionary<string, QTensor> Tensors, HashSet<NodeProto> Convs, Dictionary<NodeProto, NodeProto> FoldedRelu,
        HashSet<NodeProto> RemovedRelus, Dictionary<string, string> SameRangeAs);

    static QuantPlan Plan(GraphProto g, QuantizationOptions options)
    {
        var initializers = g.Initializer.Select(i => i.Name).ToHashSet();
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var n in g.Node)
            foreach (var i in n.Input)
                (consumers.TryGetValue(i, out var l) ? l : consumers[i] = []).Add(n);
        var tensors = new Dictionary<string, QTensor>();
        var convs = new HashSet<NodeProto>();
        var folded = new Dictionary<NodeProto, NodeProto>();
        var removed = new HashSet<NodeProto>();
        var same = new Dictionary<string, string>();

        // The ReLU that alone consumes a node's output, if any: folded into that output's quantization.
        NodeProto? SoleRelu(NodeProto n) =>
            consumers.TryGetValue(n.Output[0], out var c) && c is [{ OpType: "Relu" } r] ? r : null;
        void QuantizeOutput(NodeProto n)
        {
            if (SoleRelu(n) is { } relu)
            {
                folded[n] = relu;
                removed.Add(relu);
                tensors[relu.Output[0]] = new QTensor(true);
            }
            else tensors.TryAdd(n.Output[0], new QTensor(false));
        }

        foreach (var n in g.Node)
        {
            if (n.OpType == "Conv")
            {
                string weight = n.Input[1];
                if (weight.Contains(".cbam.")) continue; // the spatial gate's 7x7 convolution: CBAM stays float32
                if (options.FirstConvFloat && weight.EndsWith("backbone.conv1.weight", StringComparison.Ordinal)) continue;
                if (options.LastStageFloat && weight.Contains(".layer4.")) continue;
                convs.Add(n);
                tensors.TryAdd(n.Input[0], new QTensor(false));
                QuantizeOutput(n);
            }
            else if (options.QuantizeAdds && n.OpType == "Add" && n.Input.All(i => !initializers.Contains(i)) && SoleRelu(n) != null
                     && n.Input.Any(tensors.ContainsKey))
            {
                // A residual addition (the classifier's Add has an initializer; CBAM's is followed by a sigmoid).
                foreach (var i in n.Input) tensors.TryAdd(i, new QTensor(false));
                QuantizeOutput(n);
            }
        }
        // A max pool between quantized values keeps its input's scale (ONNX Runtime then pools uint8).
        foreach (var n in g.Node)
            if (n.OpType == "MaxPool" && tensors.ContainsKey(n.Input[0]))
            {
                tensors.TryAdd(n.Output[0], tensors[n.Input[0]]);
                same[n.Output[0]] = n.Input[0];
            }
        return new QuantPlan(tensors, convs, folded, removed, same);
    }

    /// <summary>(min, max) of each tensor over the calibration inputs, from ONNX Runtime running the
    /// float32 model with those tensors as extra outputs.</summary>
    static Dictionary<string, (float Min, float Max)> Calibrate(ModelProto fp32, List<string> names, IEnumerable<Tensor> inputs, QuantizationOptions options)
    {
        var probe = fp32.Clone();
        foreach (var name in names)
            if (probe.Graph.Output.All(o => o.Name != name))
                probe.Graph.Output.Add(new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = get_num_threads() };
        using var session = new InferenceSession(probe.ToByteArray(), sessionOptions);
        using var run = new RunOptions();
        var min = names.ToDictionary(n => n, _ => float.PositiveInfinity);
        var max = names.ToDictionary(n => n, _ => float.NegativeInfinity);
        var samples = names.ToDictionary(n => n, _ => new List<float>());
        int batches = 0;
        foreach (var x in inputs)
        {
            using var cpu = x.to(float32).cpu().contiguous();
            using var value = OrtValue.CreateTensorValueFromMemory(cpu.data<float>().ToArray(), cpu.shape);
            using var outputs = session.Run(run, [session.InputNames[0]], [value], names);
            for (int k = 0; k < names.Count; k++)
            {
                var data = outputs[k].GetTensorDataAsSpan<float>();
                string name = names[k];
                float lo = min[name], hi = max[name];
                foreach (var v in data) { if (v < lo) lo = v; if (v > hi) hi = v; }
                min[name] = lo; max[name] = hi;
                if (options.Method == CalibrationMethod.Percentile)
                {
                    // An even sample of each batch's values (at most 200k), for the percentiles at the end.
                    int step = Math.Max(1, data.Length / 200_000);
                    var list = samples[name];
                    for (int i = 0; i < data.Length; i += step) list.Add(data[i]);
                }
            }
            batches++;
        }
        if (batches == 0) throw new VideoFerException("no calibration input: int8 needs at least one face to calibrate on");
        var ranges = new Dictionary<string, (float, float)>();
        foreach (var name in names)
        {
            if (options.Method == CalibrationMethod.Percentile)
            {
                var s = samples[name].ToArray();
                Array.Sort(s);
                float At(double p) => s[(int)Math.Clamp(Math.Round(p / 100 * (s.Length - 1)), 0, s.Length - 1)];
                ranges[name] = (At(100 - options.Percentile), At(options.Percentile));
            }
            else ranges[name] = (min[name], max[name]);
        }
        return ranges;
    }

    static ModelProto Rewrite(ModelProto fp32, QuantPlan plan, Dictionary<string, (float Min, float Max)> ranges, QuantizationOptions options)
    {
        var model = fp32.Clone();
        var g = model.Graph;
        var initial = g.Initializer.ToDictionary(i => i.Name);
        var nodes = g.Node.ToList();
        g.Node.Clear();
        var dequantized = new Dictionary<string, string>(); // float tensor -> its quantize-dequantize copy
        var scales = new Dictionary<string, (float Scale, byte Zero)>();
        var usedWeights = new HashSet<string>();

        (float Scale, byte Zero) Params(string t)
        {
            if (scales.TryGetValue(t, out var p)) return p;
            if (plan.SameRangeAs.TryGetValue(t, out var source)) return scales[t] = Params(source);
            var (lo, hi) = ranges[t];
            if (plan.Tensors[t].AfterRelu) lo = 0;
            float rmin = Math.Min(0, lo), rmax = Math.Max(0, hi);
            float scale = rmax > rmin ? (rmax - rmin) / 255f : 1f;
            byte zero = (byte)Math.Clamp(Math.Round(-rmin / scale), 0, 255);
            return scales[t] = (scale, zero);
        }
        void QuantizeDequantize(string t)
        {
            var (scale, zero) = Params(t);
            string s = AddScalar(g, t + "_scale", scale), z = AddZeroPoint(g, t + "_zero_point", zero);
            g.Node.Add(Node("QuantizeLinear", [t, s, z], t + "_quantized"));
            g.Node.Add(Node("DequantizeLinear", [t + "_quantized", s, z], t + "_dequantized"));
            dequantized[t] = t + "_dequantized";
        }

        foreach (var input in g.Input)
            if (plan.Tensors.ContainsKey(input.Name)) QuantizeDequantize(input.Name);
        foreach (var original in nodes)
        {
            if (plan.RemovedRelus.Contains(original)) continue;
            var n = original.Clone();
            if (plan.Convs.Contains(original))
            {
                string x = n.Input[0];
                var (sx, _) = Params(x);
                var (wq, wScales) = QuantizeWeight(initial[n.Input[1]]);
                string wName = n.Input[1] + "_int8";
                g.Initializer.Add(wq);
                wq.Name = wName;
                g.Initializer.Add(Vector(wName + "_scale", wScales));
                g.Initializer.Add(Int8Zeros(wName + "_zero_point", wScales.Length));
                g.Node.Add(Node("DequantizeLinear", [wName, wName + "_scale", wName + "_zero_point"], wName + "_dequantized", axis: 0));
                usedWeights.Add(n.Input[1]);
                n.Input[1] = wName + "_dequantized";
                if (n.Input.Count > 2)
                {
                    var biasScales = wScales.Select(s => s * sx).ToArray();
                    string bName = n.Input[2] + "_int32";
                    g.Initializer.Add(QuantizeBias(initial[n.Input[2]], biasScales, bName));
                    g.Initializer.Add(Vector(bName + "_scale", biasScales));
                    g.Initializer.Add(Int32Zeros(bName + "_zero_point", biasScales.Length));
                    g.Node.Add(Node("DequantizeLinear", [bName, bName + "_scale", bName + "_zero_point"], bName + "_dequantized", axis: 0));
                    usedWeights.Add(n.Input[2]);
                    n.Input[2] = bName + "_dequantized";
                }
            }
            for (int i = 0; i < n.Input.Count; i++)
                if (dequantized.TryGetValue(n.Input[i], out var dq)) n.Input[i] = dq;
            if (plan.FoldedRelu.TryGetValue(original, out var relu)) n.Output[0] = relu.Output[0];
            g.Node.Add(n);
            foreach (var o in n.Output)
                if (plan.Tensors.ContainsKey(o)) QuantizeDequantize(o);
        }
        // The float weights the int8 ones replace are dropped unless another node still reads them.
        var read = g.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var w in usedWeights.Where(w => !read.Contains(w)))
            g.Initializer.Remove(g.Initializer.First(i => i.Name == w));
        model.DocString += $"; static int8 QDQ ({options.Describe()})";
        g.Name += "-int8";
        return model;
    }

    static NodeProto Node(string op, string[] inputs, string output, long? axis = null)
    {
        var n = new NodeProto { OpType = op, Name = output + "_node" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        if (axis is long a) n.Attribute.Add(OnnxGraph.Int("axis", a));
        return n;
    }

    static float[] Floats(TensorProto t) =>
        t.RawData.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();

    /// <summary>Per output channel: scale max|w| / 127, values rounded into [-127, 127].</summary>
    static (TensorProto Weight, float[] Scales) QuantizeWeight(TensorProto w)
    {
        var values = Floats(w);
        int channels = (int)w.Dims[0], per = values.Length / channels;
        var scales = new float[channels];
        var q = new byte[values.Length];
        for (int c = 0; c < channels; c++)
        {
            float m = 0;
            for (int i = 0; i < per; i++) m = Math.Max(m, Math.Abs(values[c * per + i]));
            float s = m > 0 ? m / 127f : 1f;
            scales[c] = s;
            for (int i = 0; i < per; i++)
                q[c * per + i] = (byte)(sbyte)Math.Clamp(Math.Round(values[c * per + i] / s), -127, 127);
        }
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(q) };
        t.Dims.AddRange(w.Dims);
        return (t, scales);
    }

    static TensorProto QuantizeBias(TensorProto b, float[] scales, string name)
    {
        var values = Floats(b);
        var q = new int[values.Length];
        for (int i = 0; i < q.Length; i++) q[i] = (int)Math.Clamp(Math.Round(values[i] / scales[i]), int.MinValue, int.MaxValue);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int32 };
        t.Dims.Add(q.Length);
        t.Int32Data.AddRange(q);
        return t;
    }

    static TensorProto Vector(string name, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(values.Length);
        t.FloatData.AddRange(values);
        return t;
    }

    static TensorProto Int8Zeros(string name, int n)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(new byte[n]) };
        t.Dims.Add(n);
        return t;
    }

    static TensorProto Int32Zeros(string name, int n)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int32 };
        t.Dims.Add(n);
        t.Int32Data.AddRange(new int[n]);
        return t;
    }

    static string AddScalar(GraphProto g, string name, float value)
    {
        if (g.Initializer.Any(i => i.Name == name)) return name;
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.FloatData.Add(value);
        g.Initializer.Add(t);
        return name;
    }

    static string AddZeroPoint(GraphProto g, string name, byte value)
    {
        if (g.Initializer.Any(i => i.Name == name)) return name;
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom([value]) };
        g.Initializer.Add(t);
        return name;
    }
}
