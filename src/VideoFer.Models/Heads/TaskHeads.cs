using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Datasets;
using static TorchSharp.torch;

namespace VideoFer.Models.Heads;

/// <summary>One fully connected head per ABAW task on the same features (the multi-task networks of ABAW
/// 2021-2022 share the backbone and the recurrent layer and split only here): <c>classifier</c> for expressions
/// (the paper's, same names as before so older checkpoints load), <c>va_head</c> for valence and arousal (tanh
/// into [-1, 1]) and <c>au_head</c> for action units (logits; a sigmoid gives probabilities). Each has the
/// paper's FC -> ReLU -> dropout -> FC shape. Outputs are concatenated in <see cref="TaskOutputs"/> order.</summary>
sealed class TaskHeads
{
    readonly Sequential? _expression, _valenceArousal, _actionUnits;

    public TaskHeads(long inFeatures, ExpressionNetConfig config)
    {
        var tasks = config.TaskSet;
        if (tasks.HasFlag(AbawTasks.Expression))
            _expression = ClassifierHead.Create(inFeatures, config.FcHidden, config.Classes, config.Dropout);
        if (tasks.HasFlag(AbawTasks.ValenceArousal))
            _valenceArousal = ClassifierHead.Create(inFeatures, config.FcHidden, 2, config.Dropout);
        if (tasks.HasFlag(AbawTasks.ActionUnits))
            _actionUnits = ClassifierHead.Create(inFeatures, config.FcHidden, config.ActionUnits.Count, config.Dropout);
    }

    /// <summary>Registers the heads as submodules of <paramref name="owner"/> under their state_dict names.</summary>
    public void RegisterOn(nn.Module owner)
    {
        if (_expression != null) owner.register_module("classifier", _expression);
        if (_valenceArousal != null) owner.register_module("va_head", _valenceArousal);
        if (_actionUnits != null) owner.register_module("au_head", _actionUnits);
    }

    public Tensor Forward(Tensor features)
    {
        if (_valenceArousal == null && _actionUnits == null)
            return _expression!.forward(features); // the paper's network, unchanged
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>(3);
        if (_expression != null) parts.Add(_expression.forward(features));
        if (_valenceArousal != null) parts.Add(_valenceArousal.forward(features).tanh());
        if (_actionUnits != null) parts.Add(_actionUnits.forward(features));
        return cat(parts, -1).MoveToOuterDisposeScope();
    }
}
