using System.Collections;
using static TorchSharp.torch;

namespace VideoFer.Training.Optimization;

/// <summary>Reading PyTorch's optimizer.state_dict() layout back: {"state": {index: {...}}, "param_groups": [...]}.</summary>
static class OptimizerState
{
    /// <summary>The per-parameter entries, each checked to hold <paramref name="tensorKeys"/> with the
    /// parameter's shape; <paramref name="kind"/> names the optimiser in messages.</summary>
    public static IEnumerable<(int Index, Hashtable Entry)> Entries(Hashtable dict, string source, IReadOnlyList<Tensor> parameters,
        string kind, params string[] tensorKeys)
    {
        if (dict["state"] is not Hashtable state)
            throw VideoFerException.InFile(source, "optimizer state has no 'state' entry");
        foreach (DictionaryEntry item in state)
        {
            int index = Convert.ToInt32(item.Key);
            if (index < 0 || index >= parameters.Count || item.Value is not Hashtable entry || tensorKeys.Any(k => entry[k] is not Tensor))
                throw VideoFerException.InFile(source, $"optimizer state entry {item.Key} is not {kind} state for this model (was the run started with another optimizer?)");
            foreach (var key in tensorKeys)
            {
                var t = (Tensor)entry[key]!;
                if (!t.shape.SequenceEqual(parameters[index].shape))
                    throw VideoFerException.InFile(source, $"optimizer state entry {index} ({key}) has shape [{string.Join("x", t.shape)}], the parameter [{string.Join("x", parameters[index].shape)}]");
            }
            yield return (index, entry);
        }
    }

    /// <summary>A copy of a saved tensor on the parameter's device, owned by the optimiser (not by any dispose scope).</summary>
    public static Tensor Restore(object saved, Tensor parameter) =>
        ((Tensor)saved).to(parameter.device).clone().DetachFromDisposeScope();
}
