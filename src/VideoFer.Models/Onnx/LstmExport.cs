using static TorchSharp.torch;
using static VideoFer.Models.Onnx.OnnxGraph;
using static VideoFer.Models.Onnx.OnnxLayers;

namespace VideoFer.Models.Onnx;

/// <summary>ONNX LSTM nodes of the stacked bidirectional LSTM (batch first): (B, T, F) -> (B, T, 2H).</summary>
static class LstmExport
{
    public static string Emit(OnnxGraph g, OnnxWeights w, string prefix, int layers, long hidden, string features)
    {
        var x = Transpose(g, features, 1, 0, 2); // ONNX's default layout is (T, B, F)
        for (int l = 0; l < layers; l++)
        {
            string k = $"{prefix}l{l}";
            var W = w.Derived(k + ".W", () => Directions(w, $"{prefix}weight_ih_l{l}"));
            var R = w.Derived(k + ".R", () => Directions(w, $"{prefix}weight_hh_l{l}"));
            // B is [Wb, Rb] per direction: PyTorch's bias_ih and bias_hh, gates reordered alike.
            var B = w.Derived(k + ".B", () => stack([Bias(w, $"{prefix}bias_ih_l{l}", $"{prefix}bias_hh_l{l}"),
                Bias(w, $"{prefix}bias_ih_l{l}_reverse", $"{prefix}bias_hh_l{l}_reverse")]));
            var y = g.Node("LSTM", [x, W, R, B], Int("hidden_size", hidden), Text("direction", "bidirectional"));
            // Y is (T, directions, B, H); PyTorch concatenates the directions' H per step.
            bool last = l == layers - 1;
            x = Reshape(g, Transpose(g, y, last ? [2, 0, 1, 3] : [0, 2, 1, 3]), 0, 0, -1);
        }
        return x;
    }

    static Tensor Directions(OnnxWeights w, string key) => stack([Gates(w.Tensor(key)), Gates(w.Tensor(key + "_reverse"))]);

    static Tensor Bias(OnnxWeights w, string ih, string hh) => cat([Gates(w.Tensor(ih)), Gates(w.Tensor(hh))]);

    /// <summary>PyTorch stacks the gates' rows as (input, forget, cell, output); ONNX as
    /// (input, output, forget, cell).</summary>
    static Tensor Gates(Tensor t)
    {
        var c = t.chunk(4, 0);
        return cat([c[0], c[3], c[1], c[2]]);
    }
}
