using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Models.Layers;
using static TorchSharp.torch;

namespace VideoFer.Training.Optimization;

/// <summary>SGD with momentum and weight decay, PyTorch's update rule (dampening 0, no Nesterov):
/// <c>b = g</c> on the first step, then <c>b = momentum * b + g</c>; <c>p -= lr * b</c>, with
/// <c>g = grad + weight_decay * p</c>.
/// <para>Written here, not taken from TorchSharp, because TorchSharp's optimiser passes implicit
/// temporary scalars to libtorch on every parameter update (see <see cref="Scalars"/>): this one keeps
/// its scalars in fields. Its state uses PyTorch's optimizer.state_dict() layout.</para></summary>
public sealed class MomentumSgd : IOptimizer
{
    readonly Parameter[] _parameters;
    readonly Tensor?[] _buffers;
    Scalar _negativeLr;
    readonly Scalar _momentum, _weightDecay;

    public MomentumSgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double weightDecay = 0)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        _buffers = new Tensor?[_parameters.Length];
        _lr = lr;
        Momentum = momentum;
        WeightDecay = weightDecay;
        _negativeLr = (-lr).ToScalar();
        _momentum = momentum.ToScalar();
        _weightDecay = weightDecay.ToScalar();
    }

    /// <summary>Setting it replaces the owned scalar (old one disposed after no step can use it).</summary>
    public double LearningRate
    {
        get => _lr;
        set
        {
            if (value == _lr) return;
            var old = _negativeLr;
            _negativeLr = (-value).ToScalar();
            _lr = value;
            old.Dispose();
        }
    }

    double _lr;
    public double Momentum { get; }
    public double WeightDecay { get; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
            p.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var grad = p.grad;
            if (grad is null) continue;
            using var g = WeightDecay != 0 ? grad.add(p, _weightDecay) : grad.alias();
            if (Momentum != 0)
            {
                if (_buffers[i] is null)
                    _buffers[i] = g.detach().clone().DetachFromDisposeScope();
                else
                    _buffers[i]!.mul_(_momentum).add_(g, Scalars.One);
                p.add_(_buffers[i]!, _negativeLr);
            }
            else p.add_(g, _negativeLr);
        }
    }

    /// <summary>PyTorch's layout: {"state": {index: {"momentum_buffer": tensor}}, "param_groups": [{...}]}.</summary>
    public Hashtable StateDict()
    {
        var state = new Hashtable();
        for (int i = 0; i < _buffers.Length; i++)
            if (_buffers[i] is Tensor b) state[i] = new Hashtable { ["momentum_buffer"] = b };
        var group = new Hashtable
        {
            ["lr"] = LearningRate, ["momentum"] = Momentum, ["dampening"] = 0.0, ["weight_decay"] = WeightDecay,
            ["nesterov"] = false, ["maximize"] = false,
            ["params"] = Enumerable.Range(0, _parameters.Length).Cast<object>().ToList(),
        };
        return new Hashtable { ["state"] = state, ["param_groups"] = new ArrayList { group } };
    }

    /// <summary>Restores momentum buffers saved by <see cref="StateDict"/> (the learning rate and momentum
    /// come from the config, so a resumed run may change them deliberately).</summary>
    public void LoadStateDict(Hashtable dict, string source)
    {
        foreach (var (i, entry) in OptimizerState.Entries(dict, source, _parameters, "SGD momentum", "momentum_buffer"))
        {
            _buffers[i]?.Dispose();
            _buffers[i] = OptimizerState.Restore(entry["momentum_buffer"]!, _parameters[i]);
        }
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b?.Dispose();
        _negativeLr.Dispose(); _momentum.Dispose(); _weightDecay.Dispose();
    }
}
