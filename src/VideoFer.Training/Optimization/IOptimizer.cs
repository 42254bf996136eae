using System.Collections;

namespace VideoFer.Training.Optimization;

/// <summary>What the trainer needs of an optimiser: a step, and state in PyTorch's optimizer.state_dict() layout.</summary>
public interface IOptimizer : IDisposable
{
    void ZeroGrad();
    void Step();
    Hashtable StateDict();
    void LoadStateDict(Hashtable dict, string source);
}
