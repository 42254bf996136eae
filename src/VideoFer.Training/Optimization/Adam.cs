using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VideoFer.Training.Optimization;

/// <summary>Adam (Kingma and Ba), PyTorch's update rule without AMSGrad: m = b1 m + (1 - b1) g,
/// v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps), with
/// g = grad + weight_decay * p. Not the paper's optimiser (SGD); it converges far faster when a
/// network is trained from scratch on a small budget. Scalars are owned for the reason given in
/// <see cref="VideoFer.Models.Layers.Scalars"/>.</summary>
public sealed class Adam : IOptimizer
{
    readonly Parameter[] _parameters;
    readonly Tensor?[] _m, _v;
    readonly double _beta1, _beta2, _eps, _weightDecay;

    public double LearningRate { get; set; }
    readonly Scalar _b1, _oneMinusB1, _b2, _oneMinusB2, _wd;
    readonly long[] _steps;

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        _m = new Tensor?[_parameters.Length];
        _v = new Tensor?[_parameters.Length];
        _steps = new long[_parameters.Length];
        (LearningRate, _beta1, _beta2, _eps, _weightDecay) = (lr, beta1, beta2, eps, weightDecay);
        _b1 = beta1.ToScalar(); _oneMinusB1 = (1 - beta1).ToScalar();
        _b2 = beta2.ToScalar(); _oneMinusB2 = (1 - beta2).ToScalar();
        _wd = weightDecay.ToScalar();
    }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not Tensor grad) continue;
            using var scope = NewDisposeScope();
            var g = _weightDecay != 0 ? grad.add(p, _wd) : grad;
            _m[i] ??= zeros_like(p).DetachFromDisposeScope();
            _v[i] ??= zeros_like(p).DetachFromDisposeScope();
            long t = ++_steps[i];
            _m[i]!.mul_(_b1).add_(g, _oneMinusB1);
            _v[i]!.mul_(_b2).addcmul_(g, g, _oneMinusB2);
            double correction1 = 1 - Math.Pow(_beta1, t), correction2 = 1 - Math.Pow(_beta2, t);
            // Per-step values: held in using-variables, so they stay alive across the native calls.
            using var invSqrtCorrection2 = (1 / Math.Sqrt(correction2)).ToScalar();
            using var eps = _eps.ToScalar();
            using var stepSize = (-LearningRate / correction1).ToScalar();
            var denominator = _v[i]!.sqrt().mul_(invSqrtCorrection2).add_(eps);
            p.addcdiv_(_m[i]!, denominator, stepSize);
        }
    }

    public Hashtable StateDict()
    {
        var state = new Hashtable();
        for (int i = 0; i < _parameters.Length; i++)
            if (_m[i] is Tensor m && _v[i] is Tensor v)
                state[i] = new Hashtable { ["step"] = (double)_steps[i], ["exp_avg"] = m, ["exp_avg_sq"] = v };
        var group = new Hashtable
        {
            ["lr"] = LearningRate, ["betas"] = new ArrayList { _beta1, _beta2 }, ["eps"] = _eps, ["weight_decay"] = _weightDecay,
            ["amsgrad"] = false, ["maximize"] = false,
            ["params"] = Enumerable.Range(0, _parameters.Length).Cast<object>().ToList(),
        };
        return new Hashtable { ["state"] = state, ["param_groups"] = new ArrayList { group } };
    }

    public void LoadStateDict(Hashtable dict, string source)
    {
        foreach (var (i, entry) in OptimizerState.Entries(dict, source, _parameters, "Adam", "exp_avg", "exp_avg_sq"))
        {
            _m[i]?.Dispose(); _v[i]?.Dispose();
            _m[i] = OptimizerState.Restore(entry["exp_avg"]!, _parameters[i]);
            _v[i] = OptimizerState.Restore(entry["exp_avg_sq"]!, _parameters[i]);
            _steps[i] = Convert.ToInt64(entry["step"] is Tensor st ? st.item<float>() : entry["step"]);
        }
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t?.Dispose();
        foreach (var s in new[] { _b1, _oneMinusB1, _b2, _oneMinusB2, _wd }) s.Dispose();
    }
}
