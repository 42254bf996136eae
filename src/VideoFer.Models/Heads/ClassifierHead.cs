using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VideoFer.Models.Heads;

/// <summary>The classification module (paper §III-C): FC -> ReLU -> dropout -> FC to the classes.
/// Laid out as a Sequential so its parameters are named 0.* and 3.*, like an nn.Sequential in PyTorch.</summary>
public static class ClassifierHead
{
    public static Sequential Create(long inFeatures, long hidden, long classes, double dropout) =>
        Sequential(
            ("0", Linear(inFeatures, hidden)),
            ("1", ReLU(inplace: true)),
            ("2", Dropout(dropout)),
            ("3", Linear(hidden, classes)));
}
