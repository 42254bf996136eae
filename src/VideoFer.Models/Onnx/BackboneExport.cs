using VideoFer.Models.Backbones;
using static VideoFer.Models.Onnx.OnnxGraph;
using static VideoFer.Models.Onnx.OnnxLayers;

namespace VideoFer.Models.Onnx;

/// <summary>ONNX nodes of a folded <see cref="ResNet"/> (+CBAM): (N, 3, H, W) -> (N, FeatureDim).
/// Module names are the state_dict's (torchvision's layout), so the graph follows ResNet.cs.</summary>
static class BackboneExport
{
    public static string Emit(OnnxGraph g, OnnxWeights w, string prefix, ResNetSpec spec, string x)
    {
        var y = Relu(g, Conv(g, w, prefix + "conv1", x, stride: 2));
        y = g.Node("MaxPool", [y], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1));
        for (int stage = 0; stage < 4; stage++)
            for (int i = 0; i < spec.Layers[stage]; i++)
                y = Block(g, w, $"{prefix}layer{stage + 1}.{i}.", spec, y, stride: i == 0 && stage > 0 ? 2 : 1);
        return g.Node("Flatten", [g.Node("GlobalAveragePool", [y])], Int("axis", 1));
    }

    // BasicBlock strides its first 3x3 convolution, Bottleneck its middle one (torchvision's v1.5).
    static string Block(OnnxGraph g, OnnxWeights w, string block, ResNetSpec spec, string x, long stride)
    {
        string r;
        if (spec.Bottleneck)
        {
            r = Relu(g, Conv(g, w, block + "conv1", x));
            r = Relu(g, Conv(g, w, block + "conv2", r, stride));
            r = Conv(g, w, block + "conv3", r);
        }
        else
        {
            r = Relu(g, Conv(g, w, block + "conv1", x, stride));
            r = Conv(g, w, block + "conv2", r);
        }
        if (spec.Cbam) r = Cbam(g, w, block + "cbam.", r);
        string identity = w.Has(block + "downsample.0.weight") ? Conv(g, w, block + "downsample.0", x, stride) : x;
        return Relu(g, g.Node("Add", [r, identity]));
    }

    static string Cbam(OnnxGraph g, OnnxWeights w, string cbam, string x)
    {
        // Channel gate: one MLP over the average- and max-pooled features, summed, sigmoid.
        string mlp = cbam + "ChannelGate.mlp.";
        string Mlp(string pooled) =>
            Linear(g, w, mlp + "3", Relu(g, Linear(g, w, mlp + "1", g.Node("Flatten", [pooled], Int("axis", 1)))));
        var sum = g.Node("Add", [Mlp(g.Node("GlobalAveragePool", [x])), Mlp(g.Node("GlobalMaxPool", [x]))]);
        var y = g.Node("Mul", [x, Reshape(g, g.Node("Sigmoid", [sum]), 0, -1, 1, 1)]);
        // Spatial gate: [max, mean] over channels, 7x7 convolution (BN folded), sigmoid.
        var pooled = g.Node("Concat", [
            g.Node("ReduceMax", [y], Ints("axes", 1), Int("keepdims", 1)),
            g.Node("ReduceMean", [y], Ints("axes", 1), Int("keepdims", 1))], Int("axis", 1));
        return g.Node("Mul", [y, g.Node("Sigmoid", [Conv(g, w, cbam + "SpatialGate.spatial.conv", pooled)])]);
    }
}
