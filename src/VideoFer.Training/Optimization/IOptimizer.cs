using System.Collections;

namespace VideoFer.Training.Optimization;

/// <summary>What the trainer needs of an optimiser: a step, and state in PyTorch's optimizer.state_dict() layout.</summary>
public interface IOptimizer : IDisposable
{
    /// <summary>The learning rate of the next steps (set by the trainer's schedule).</summary>
    double LearningRate { get; set; }

    void ZeroGrad();
    void Step();
    Hashtable StateDict();
    void LoadStateDict(Hashtable dict, string source);
}
