using System.Collections;
using TorchSharp;
using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using VideoFer.Training.Optimization;
using static TorchSharp.torch;

namespace VideoFer.Training.Runs;

/// <summary>A training checkpoint: a VideoFer model checkpoint (loadable by <see cref="Checkpoint.Load"/>
/// and by PyTorch) plus the optimiser state (PyTorch's optimizer.state_dict() layout), the iteration,
/// torch's RNG state, the training config and the best validation S so far.</summary>
public static class TrainingCheckpoint
{
    public sealed record State(long Iteration, double BestScore, long BestIteration);

    public static void Save(string path, ExpressionNetwork model, IOptimizer optimizer, TrainConfig config, State state)
    {
        var extra = new Hashtable
        {
            ["optimizer"] = optimizer.StateDict(),
            ["iteration"] = state.Iteration,
            ["best_s"] = state.BestScore,
            ["best_iteration"] = state.BestIteration,
            ["train_config"] = TrainConfigLoader.ToJson(config),
            ["torch_rng_state"] = torch.get_rng_state(),
        };
        Checkpoint.Save(path, model, extra, config.ToPreprocessing());
    }

    /// <summary>Restores weights (strictly), optimiser state and torch's RNG into existing objects.</summary>
    public static State Restore(string path, nn.Module model, IOptimizer optimizer)
    {
        Hashtable root = StateDictFile.ReadObject(path);
        var weights = StateDictFile.StateDictOf(root, path);
        WeightLoader.Load(model, weights, path, strict: true);
        foreach (var t in weights.Values) t.Dispose();
        if (root["optimizer"] is not Hashtable opt)
            throw VideoFerException.InFile(path, "is not a training checkpoint (no optimizer state); use it with init_checkpoint instead");
        optimizer.LoadStateDict(opt, path);
        if (root["torch_rng_state"] is Tensor rng) torch.set_rng_state(rng);
        return new State(Convert.ToInt64(root["iteration"]), Convert.ToDouble(root["best_s"]), Convert.ToInt64(root["best_iteration"]));
    }

    /// <summary>The iteration a training checkpoint was written at.</summary>
    public static long IterationOf(string path) =>
        StateDictFile.ReadObject(path)["iteration"] is { } it ? Convert.ToInt64(it)
            : throw VideoFerException.InFile(path, "is not a training checkpoint (no iteration)");
}
