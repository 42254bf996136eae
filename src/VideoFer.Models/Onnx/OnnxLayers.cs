using static VideoFer.Models.Onnx.OnnxGraph;

namespace VideoFer.Models.Onnx;

/// <summary>The ONNX nodes of VideoFer's layers, one method per layer kind.</summary>
static class OnnxLayers
{
    /// <summary>A convolution whose batch norm is folded in (so it has a bias). Every convolution in
    /// VideoFer pads by (k - 1) / 2, so the weight's kernel size gives the padding.</summary>
    public static string Conv(OnnxGraph g, OnnxWeights w, string module, string x, long stride = 1)
    {
        if (!w.Has(module + ".bias"))
            throw new InvalidOperationException($"{module} has no bias: its batch norm is not folded");
        long k = w.Tensor(module + ".weight").shape[2], pad = (k - 1) / 2;
        return g.Node("Conv", [x, w.Get(module + ".weight"), w.Get(module + ".bias")],
            Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad));
    }

    public static string Relu(OnnxGraph g, string x) => g.Node("Relu", [x]);

    /// <summary>nn.Linear on (N, in): Gemm with the weight transposed, as PyTorch stores (out, in).</summary>
    public static string Linear(OnnxGraph g, OnnxWeights w, string module, string x) =>
        g.Node("Gemm", [x, w.Get(module + ".weight"), w.Get(module + ".bias")], Int("transB", 1));

    /// <summary>nn.Linear on (B, T, in): Gemm takes matrices only, so MatMul by the stored transpose, then the bias.</summary>
    public static string Linear3d(OnnxGraph g, OnnxWeights w, string module, string x)
    {
        string wt = w.Derived(module + ".weight_transposed", () => w.Tensor(module + ".weight").t().contiguous());
        return g.Node("Add", [g.Node("MatMul", [x, wt]), w.Get(module + ".bias")]);
    }

    public static string Reshape(OnnxGraph g, string x, params long[] shape) =>
        g.Node("Reshape", [x, g.Int64s("shape", shape)]);

    public static string Transpose(OnnxGraph g, string x, params long[] perm) =>
        g.Node("Transpose", [x], Ints("perm", perm));
}
