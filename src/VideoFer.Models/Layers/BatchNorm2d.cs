using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VideoFer.Models.Layers;

#pragma warning disable IDE1006 // field names are the state_dict names

/// <summary>BatchNorm over (N, C, H, W), with PyTorch's parameter and buffer names and behaviour.
/// Written here instead of using TorchSharp's because its training step increments
/// num_batches_tracked with implicit temporary scalars (see <see cref="Scalars"/>).</summary>
public sealed class BatchNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
    private readonly double eps, momentum;

    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1) : base(nameof(BatchNorm2d))
    {
        this.eps = eps;
        this.momentum = momentum;
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
    }

    public Parameter Weight => weight;
    public Parameter Bias => bias;
    public Tensor RunningMean => running_mean;
    public Tensor RunningVar => running_var;
    public double Eps => eps;

    /// <summary>True once <see cref="Inference.InferenceOptimizer"/> has folded this layer into the
    /// convolution before it: the layer then passes its input through (inference only).</summary>
    public bool IsFolded { get; private set; }

    internal void MarkFolded() => IsFolded = true;

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"BatchNorm2d expects (N, C, H, W), got {input.dim()} dimensions");
        if (IsFolded)
        {
            if (training) throw new InvalidOperationException("this BatchNorm2d was folded into its convolution for inference; the model cannot be trained");
            return input.alias(); // a new handle on the same storage: callers may dispose it as usual
        }
        if (training)
            using (no_grad()) num_batches_tracked.add_(Scalars.OneLong, Scalars.OneLong);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps);
    }
}
