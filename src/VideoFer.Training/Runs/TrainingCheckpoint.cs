using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using static TorchSharp.torch;

namespace VideoFer.Training.Runs;

/// <summary>A training checkpoint: a VideoFer model checkpoint (loadable by <see cref="Checkpoint.Load"/>
/// and by PyTorch) plus the optimiser state (PyTorch's optimizer.state_dict() layout), the iteration,
/// torch's RNG state, the training config and the best validation S so far.</summary>
public static class TrainingCheckpoint
{
    public sealed record State(long Iteration, double BestScore, long BestIteration);

    public static void Save(string path, nn.Module model, OptimizerHelper optimizer, TrainConfig config, State state)
    {
        var extra = new Hashtable
        {
            ["optimizer"] = OptimizerToObject(optimizer),
            ["iteration"] = state.Iteration,
            ["best_s"] = state.BestScore,
            ["best_iteration"] = state.BestIteration,
            ["train_config"] = TrainConfigLoader.ToJson(config),
            ["torch_rng_state"] = torch.get_rng_state(),
        };
        Checkpoint.Save(path, model, extra);
    }

    /// <summary>Restores weights (strictly), optimiser state and torch's RNG into existing objects.</summary>
    public static State Restore(string path, nn.Module model, OptimizerHelper optimizer)
    {
        Hashtable root = StateDictFile.ReadObject(path);
        var weights = StateDictFile.StateDictOf(root, path);
        WeightLoader.Load(model, weights, path, strict: true);
        foreach (var t in weights.Values) t.Dispose();
        if (root["optimizer"] is not Hashtable opt)
            throw VideoFerException.InFile(path, "is not a training checkpoint (no optimizer state); use it with init_checkpoint instead");
        ObjectToOptimizer(opt, optimizer, path);
        if (root["torch_rng_state"] is Tensor rng) torch.set_rng_state(rng);
        return new State(Convert.ToInt64(root["iteration"]), Convert.ToDouble(root["best_s"]), Convert.ToInt64(root["best_iteration"]));
    }

    /// <summary>The iteration a training checkpoint was written at.</summary>
    public static long IterationOf(string path) =>
        StateDictFile.ReadObject(path)["iteration"] is { } it ? Convert.ToInt64(it)
            : throw VideoFerException.InFile(path, "is not a training checkpoint (no iteration)");

    // PyBridge writes and reads PyTorch's optimizer format only as whole files; a round trip through
    // memory turns it into a dictionary that sits beside the model in one checkpoint file.
    static Hashtable OptimizerToObject(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        optimizer.save_py(buffer, leaveOpen: true);
        buffer.Position = 0;
        return PyTorchUnpickler.UnpickleStateDict(buffer, leaveOpen: true);
    }

    static void ObjectToOptimizer(Hashtable state, OptimizerHelper optimizer, string path)
    {
        using var buffer = new MemoryStream();
        PyTorchPickler.PickleStateDict(buffer, state, leaveOpen: true);
        buffer.Position = 0;
        try { optimizer.load_py(buffer, leaveOpen: true); }
        catch (Exception e) when (e is not VideoFerException)
        {
            throw VideoFerException.InFile(path, $"optimizer state does not fit this model ({e.Message})");
        }
    }
}
