using TorchSharp;
using VideoFer.Training.Optimization;
using Adam = VideoFer.Training.Optimization.Adam;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>VideoFer's optimisers against TorchSharp's (which follow PyTorch's update rules).</summary>
public class OptimizerTests
{
    /// <summary>Same updates as TorchSharp's SGD (PyTorch's rule) over several steps, with momentum and weight decay.</summary>
    [Theory]
    [InlineData(0.1, 0.9, 0.0)]
    [InlineData(0.05, 0.9, 0.01)]
    [InlineData(0.2, 0.0, 0.0)]
    public void MomentumSgdMatchesTorchSharpSgd(double lr, double momentum, double weightDecay) =>
        AssertSameUpdates(
            p => new MomentumSgd(p, lr, momentum, weightDecay),
            p => optim.SGD(p, lr, momentum: momentum, weight_decay: weightDecay), steps: 4, rtol: 1e-6);

    [Theory]
    [InlineData(1e-3, 0.0)]
    [InlineData(1e-2, 0.01)]
    public void AdamMatchesTorchSharpAdam(double lr, double weightDecay) =>
        AssertSameUpdates(
            p => new Adam(p, lr, weightDecay: weightDecay),
            p => optim.Adam(p, lr, weight_decay: weightDecay), steps: 5, rtol: 1e-5);

    /// <summary>Two copies of a small network, one updated by ours and one by TorchSharp's optimiser on the
    /// same batches: their parameters must stay equal after every step.</summary>
    static void AssertSameUpdates(Func<IEnumerable<TorchSharp.Modules.Parameter>, IOptimizer> ours,
        Func<IEnumerable<TorchSharp.Modules.Parameter>, TorchSharp.Modules.OptimizerHelper> theirs, int steps, double rtol)
    {
        manual_seed(4);
        using var a = nn.Linear(5, 3);
        using var b = nn.Linear(5, 3);
        b.load_state_dict(a.state_dict());
        using var mine = ours(a.parameters());
        var reference = theirs(b.parameters());
        for (int step = 0; step < steps; step++)
        {
            using var x = randn(8, 5);
            using var target = randn(8, 3);
            mine.ZeroGrad();
            nn.functional.mse_loss(a.forward(x), target).backward();
            mine.Step();
            reference.zero_grad();
            nn.functional.mse_loss(b.forward(x), target).backward();
            reference.step();
            foreach (var (name, p) in a.named_parameters())
                Assert.True(p.allclose(b.get_parameter(name)!, rtol: rtol, atol: 1e-7), $"{name} differs after step {step + 1}");
        }
    }

    [Fact]
    public void StateRoundTripsIntoAFreshOptimizer()
    {
        manual_seed(2);
        using var a = nn.Linear(4, 2);
        using var opt = new MomentumSgd(a.parameters(), 0.1, 0.9);
        a.forward(ones(3, 4)).sum().backward();
        opt.Step();
        using var fresh = new MomentumSgd(a.parameters(), 0.1, 0.9);
        fresh.LoadStateDict(opt.StateDict(), "test");
        var s1 = (System.Collections.Hashtable)opt.StateDict()["state"]!;
        var s2 = (System.Collections.Hashtable)fresh.StateDict()["state"]!;
        Assert.Equal(s1.Count, s2.Count);
        foreach (System.Collections.DictionaryEntry e in s1)
        {
            var t1 = (Tensor)((System.Collections.Hashtable)e.Value!)["momentum_buffer"]!;
            var t2 = (Tensor)((System.Collections.Hashtable)s2[e.Key]!)["momentum_buffer"]!;
            Assert.True(t1.equal(t2).all().item<bool>());
        }
    }
}
