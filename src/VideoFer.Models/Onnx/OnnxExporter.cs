using Google.Protobuf;
using Onnx;
using TorchSharp;
using VideoFer.IO;
using VideoFer.Models.Inference;
using VideoFer.Models.Weights;
using static TorchSharp.torch;
using static VideoFer.Models.Onnx.OnnxGraph;
using static VideoFer.Models.Onnx.OnnxLayers;

namespace VideoFer.Models.Onnx;

/// <summary>Writes VideoFer's networks as ONNX models (TorchSharp has no exporter): the clip model
/// (clips (batch, time, 3, height, width) -> logits (batch, time, classes)) and the frame model
/// (images (batch, 3, height, width) -> logits (batch, classes)), batch norm folded into the
/// convolutions. Batch, time and image size are dynamic.</summary>
public static class OnnxExporter
{
    /// <summary>Opset 17: the last in which ReduceMax/ReduceMean take their axes as an attribute;
    /// ONNX Runtime 1.14 and later run it.</summary>
    public const int Opset = 17;
    const int IrVersion = 8; // the IR version that goes with opset 17

    /// <summary>Folds the network's batch norms (in place, as <see cref="InferenceOptimizer"/> does
    /// for inference) and writes it to <paramref name="path"/> (through a temporary file).</summary>
    public static void Export(nn.Module model, string path)
    {
        var proto = Build(model);
        AtomicFile.Write(path, temp =>
        {
            using var file = File.Create(temp);
            proto.WriteTo(file);
        });
    }

    /// <summary>The ONNX model of <paramref name="model"/> (folded in place first).</summary>
    public static ModelProto Build(nn.Module model)
    {
        var config = model switch
        {
            ExpressionNet c => c.Config,
            FrameExpressionNet f => f.Config,
            _ => throw new ArgumentException($"cannot export a {model.GetType().Name}: only ExpressionNet and FrameExpressionNet", nameof(model)),
        };
        InferenceOptimizer.Optimize(model, new InferenceOptions { ChannelsLast = false });
        foreach (var (name, m) in model.named_modules())
            if (m is Layers.BatchNorm2d { IsFolded: false })
                throw new InvalidOperationException($"batch norm {name} has no convolution to fold into");

        var g = new OnnxGraph();
        var state = model.state_dict();
        var w = new OnnxWeights(g, state);
        if (model is ExpressionNet) EmitClip(g, w, config);
        else EmitFrame(g, w, config);
        g.Proto.Name = $"videofer-{config.Arch}-{(model is ExpressionNet ? "clip" : "frame")}";

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "VideoFer",
            ProducerVersion = Checkpoint.VideoFerVersion,
            DocString = $"{config.Arch}, {config.Classes} classes, batch norm folded",
            Graph = g.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }

    static void EmitClip(OnnxGraph g, OnnxWeights w, ExpressionNetConfig config)
    {
        g.Input("clips", "batch", "time", 3, "height", "width");
        // (B, T, 3, H, W) -> (B·T, 3, H, W) and back to (B, T, F), with shapes read at run time.
        var shape = g.Node("Shape", ["clips"]);
        var frameShape = g.Node("Concat", [g.Int64s("minus_one", -1), Slice(g, shape, 2, 5)], Int("axis", 0));
        var frames = g.Node("Reshape", ["clips", frameShape]);
        var features = BackboneExport.Emit(g, w, "backbone.", config.Backbone, frames);
        var sequenceShape = g.Node("Concat", [Slice(g, shape, 0, 2), g.Int64s("minus_one", -1)], Int("axis", 0));
        var sequence = g.Node("Reshape", [features, sequenceShape]);
        var y = LstmExport.Emit(g, w, "temporal.", config.LstmLayers, config.LstmHidden, sequence);
        Heads(g, config, y, head => Linear3d(g, w, head + ".3", Relu(g, Linear3d(g, w, head + ".0", y))), axis: 2);
        g.Proto.Node[^1].Output[0] = "logits"; // the last node writes the graph output
        g.Output("logits", "batch", "time", config.Outputs.Width);
    }

    static void EmitFrame(OnnxGraph g, OnnxWeights w, ExpressionNetConfig config)
    {
        g.Input("images", "batch", 3, "height", "width");
        var features = BackboneExport.Emit(g, w, "backbone.", config.Backbone, "images");
        Heads(g, config, features, head => Linear(g, w, head + ".3", Relu(g, Linear(g, w, head + ".0", features))), axis: 1);
        g.Proto.Node[^1].Output[0] = "logits";
        g.Output("logits", "batch", config.Outputs.Width);
    }

    /// <summary>The task heads (TaskHeads): the expression classifier alone as before, or each task's head (tanh on
    /// valence-arousal) concatenated in TaskOutputs order; the last node written is the output.</summary>
    static void Heads(OnnxGraph g, ExpressionNetConfig config, string features, Func<string, string> head, int axis)
    {
        var layout = config.Outputs;
        if (!layout.HasValenceArousal && !layout.HasActionUnits)
        {
            head("classifier");
            return;
        }
        var parts = new List<string>();
        if (layout.HasExpression) parts.Add(head("classifier"));
        if (layout.HasValenceArousal) parts.Add(g.Node("Tanh", [head("va_head")]));
        if (layout.HasActionUnits) parts.Add(head("au_head"));
        g.Node("Concat", parts.ToArray(), Int("axis", axis));
    }

    static string Slice(OnnxGraph g, string x, long start, long end) =>
        g.Node("Slice", [x, g.Int64s("starts", start), g.Int64s("ends", end)]);
}
