using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VideoFer.Models.Layers;

#pragma warning disable IDE1006 // parameter names are PyTorch's LSTM state_dict names

/// <summary>A stacked bidirectional LSTM over batch-first sequences, (B, T, F) -> (B, T, 2H), with
/// PyTorch's parameter names (<c>weight_ih_l0</c>, <c>weight_hh_l0_reverse</c>, ...), gate order (i, f, g, o),
/// initialisation and results, written from matrix products and element-wise ops.
/// Why not TorchSharp's <c>nn.LSTM</c>: libtorch 2.10 runs float32 LSTMs through oneDNN's RNN kernels,
/// and on AMD EPYC CPUs with AVX-512 those return wrong sequences for some hidden sizes (measured: 4, 8,
/// 16 and 48 units off by up to 1.9 on outputs in (-1, 1); 24, 32, 64 and 512 right; right again with
/// <c>ONEDNN_MAX_CPU_ISA=AVX2</c>). A clip is 8 frames, so the recurrence is 8 small products per
/// direction; the input projection of all frames is one product, as in the fused kernels.</summary>
public sealed class BidirectionalLstm : nn.Module<Tensor, Tensor>
{
    private readonly int layers;
    private readonly long hidden;
    // Parameter names by [layer * 2 + direction]; the tensors are looked up at each forward, because
    // Module.to(dtype or device) replaces registered parameters and would leave cached references disposed.
    private readonly string[] weightsIh, weightsHh, biasesIh, biasesHh;

    public BidirectionalLstm(long inputSize, long hiddenSize, int numLayers = 1) : base(nameof(BidirectionalLstm))
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers));
        layers = numLayers;
        hidden = hiddenSize;
        int n = 2 * numLayers;
        weightsIh = new string[n];
        weightsHh = new string[n];
        biasesIh = new string[n];
        biasesHh = new string[n];
        // PyTorch's reset_parameters: every weight and bias uniform in ±1/sqrt(hidden), drawn in the
        // order layer, direction, (w_ih, w_hh, b_ih, b_hh), so a seed gives the weights nn.LSTM would.
        double bound = 1.0 / Math.Sqrt(hiddenSize);
        using (no_grad())
            for (int layer = 0; layer < numLayers; layer++)
            {
                long input = layer == 0 ? inputSize : 2 * hiddenSize;
                for (int direction = 0; direction < 2; direction++)
                {
                    int k = layer * 2 + direction;
                    string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : "")}";
                    weightsIh[k] = Register($"weight_ih{suffix}", empty(4 * hiddenSize, input), bound);
                    weightsHh[k] = Register($"weight_hh{suffix}", empty(4 * hiddenSize, hiddenSize), bound);
                    biasesIh[k] = Register($"bias_ih{suffix}", empty(4 * hiddenSize), bound);
                    biasesHh[k] = Register($"bias_hh{suffix}", empty(4 * hiddenSize), bound);
                }
            }
    }

    public long HiddenSize => hidden;

    public int NumLayers => layers;

    string Register(string name, Tensor value, double bound)
    {
        value.uniform_(-bound, bound);
        register_parameter(name, new Parameter(value));
        return name;
    }

    Parameter P(string name) => get_parameter(name) ?? throw new InvalidOperationException($"no parameter {name}");

    /// <summary>(B, T, F) -> (B, T, 2H): forward direction's hidden states, then the reverse direction's.</summary>
    public override Tensor forward(Tensor sequence)
    {
        if (sequence.dim() != 3)
            throw new ArgumentException($"expected (batch, time, features), got ({string.Join(", ", sequence.shape)})");
        using var scope = NewDisposeScope();
        var x = sequence;
        for (int layer = 0; layer < layers; layer++)
            x = cat([Direction(x, layer * 2, reverse: false), Direction(x, layer * 2 + 1, reverse: true)], 2);
        return x.MoveToOuterDisposeScope();
    }

    Tensor Direction(Tensor x, int k, bool reverse)
    {
        long batch = x.shape[0], time = x.shape[1];
        var recurrent = P(weightsHh[k]).t();
        // Input projections of every time step at once; both biases added there.
        var projected = F.linear(x, P(weightsIh[k]), P(biasesIh[k]).add(P(biasesHh[k]), Scalars.One));
        var h = zeros(batch, hidden, dtype: x.dtype, device: x.device);
        var c = zeros(batch, hidden, dtype: x.dtype, device: x.device);
        var outputs = new Tensor[time];
        for (long s = 0; s < time; s++)
        {
            long t = reverse ? time - 1 - s : s;
            var gates = projected.select(1, t).add(h.matmul(recurrent), Scalars.One).chunk(4, 1);
            var input = gates[0].sigmoid();
            var forget = gates[1].sigmoid();
            var cell = gates[2].tanh();
            var output = gates[3].sigmoid();
            c = forget.mul(c).add(input.mul(cell), Scalars.One);
            h = output.mul(c.tanh());
            outputs[t] = h;
        }
        return stack(outputs, 1);
    }
}
