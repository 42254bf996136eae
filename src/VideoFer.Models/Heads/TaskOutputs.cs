using VideoFer.Datasets;

namespace VideoFer.Models;

/// <summary>The layout of a network's output along its last dimension: the heads of its tasks side by side,
/// in the order expression logits (<see cref="Classes"/>), valence and arousal (2, already in [-1, 1]),
/// action unit logits (<see cref="ActionUnits"/>, one per AU, before the sigmoid). An expression-only network
/// (the paper's) outputs exactly its class logits, as before multi-task heads existed.</summary>
public readonly record struct TaskOutputs(AbawTasks Tasks, int Classes, int ActionUnits)
{
    public bool HasExpression => Tasks.HasFlag(AbawTasks.Expression);
    public bool HasValenceArousal => Tasks.HasFlag(AbawTasks.ValenceArousal);
    public bool HasActionUnits => Tasks.HasFlag(AbawTasks.ActionUnits);

    public int ExpressionStart => 0;
    public int ExpressionCount => HasExpression ? Classes : 0;
    public int ValenceArousalStart => ExpressionCount;
    public int ValenceArousalCount => HasValenceArousal ? 2 : 0;
    public int ActionUnitStart => ValenceArousalStart + ValenceArousalCount;
    public int ActionUnitCount => HasActionUnits ? ActionUnits : 0;

    /// <summary>Outputs per frame.</summary>
    public int Width => ActionUnitStart + ActionUnitCount;
}
