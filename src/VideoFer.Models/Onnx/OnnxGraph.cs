using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace VideoFer.Models.Onnx;

// The ONNX schema comes from the OnnxSharp package (MIT): its classes are generated from onnx.proto
// with Google.Protobuf, which is all a writer needs; generating our own copy of onnx.proto would
// only duplicate them.

/// <summary>Builds one ONNX graph: float initializers taken from TorchSharp tensors, nodes with
/// attributes, and fresh value names. Each method returns the name of the value it produces.</summary>
sealed class OnnxGraph
{
    readonly GraphProto _graph = new();
    int _next;

    public GraphProto Proto => _graph;

    /// <summary>A fresh value name, <paramref name="hint"/> plus a counter (names must be unique).</summary>
    public string Name(string hint) => $"{hint}_{_next++}";

    /// <summary>A float32 weight, stored in NCHW order whatever the tensor's memory layout.</summary>
    public string Weight(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().to(float32).cpu().contiguous();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(cpu.shape);
        var values = cpu.data<float>().ToArray();
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length); // ONNX raw data is little-endian, as is x64
        proto.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A constant int64 vector (shapes, axes, slice bounds).</summary>
    public string Int64s(string hint, params long[] values)
    {
        var proto = new TensorProto { Name = Name(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds a node of one output and returns that output's name.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes) =>
        NodeWithOutputs(op, inputs, 1, attributes)[0];

    public string[] NodeWithOutputs(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Name(op) };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(_ => Name(op.ToLowerInvariant())).ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A float32 graph input or output; a string dimension is symbolic (dynamic), a number fixed.</summary>
    public void Input(string name, params object[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    public void Output(string name, params object[] dims) => _graph.Output.Add(ValueInfo(name, dims));

    static ValueInfoProto ValueInfo(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
