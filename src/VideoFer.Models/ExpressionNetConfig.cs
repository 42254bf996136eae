using System.Text.Json.Serialization;
using VideoFer.Datasets;
using VideoFer.Models.Backbones;

namespace VideoFer.Models;

/// <summary>Everything that fixes the shape of the paper's network (and so of its weights).
/// The paper (§III) leaves the LSTM and FC sizes open; the defaults here are VideoFer's choice:
/// one bidirectional LSTM layer of 512 units per direction, then FC 1024 -> 256 -> classes with ReLU
/// and dropout 0.5 between.</summary>
public sealed record ExpressionNetConfig
{
    /// <summary>Backbone name, e.g. "resnet101-cbam" (the paper's).</summary>
    public string Arch { get; init; } = "resnet101-cbam";

    /// <summary>7 (ABAW 2020/2021) or 8 (2022+, with Other).</summary>
    public int Classes { get; init; } = 7;

    /// <summary>LSTM hidden units per direction.</summary>
    public int LstmHidden { get; init; } = 512;

    /// <summary>Stacked LSTM layers.</summary>
    public int LstmLayers { get; init; } = 1;

    /// <summary>Width of the hidden fully connected layer.</summary>
    public int FcHidden { get; init; } = 256;

    /// <summary>Dropout before the last fully connected layer (training only).</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Frames per clip (the paper's 8).</summary>
    public int ClipLength { get; init; } = 8;

    /// <summary>Network input side in pixels (the paper crops 256x256 faces; 224 crops by default).</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>The ABAW tasks the network has a head for, as "expr,va,au" (any subset; "expr" alone is the paper's
    /// network and every checkpoint written before multi-task training).</summary>
    public string Tasks { get; init; } = "expr";

    /// <summary>The action units of the AU head, in output order (empty without the AU task).</summary>
    public IReadOnlyList<string> ActionUnits { get; init; } = [];

    [JsonIgnore] public AbawTasks TaskSet => AbawTaskNames.Parse(Tasks);

    /// <summary>Where each task's outputs lie in the network's last dimension.</summary>
    [JsonIgnore] public TaskOutputs Outputs => new(TaskSet, Classes, ActionUnits.Count);

    public ResNetSpec Backbone => ResNetSpec.Parse(Arch);

    // Value equality over every setting, the AU list by its names (a record compares lists by reference).
    public bool Equals(ExpressionNetConfig? other) =>
        other is not null && Arch == other.Arch && Classes == other.Classes && LstmHidden == other.LstmHidden
        && LstmLayers == other.LstmLayers && FcHidden == other.FcHidden && Dropout.Equals(other.Dropout)
        && ClipLength == other.ClipLength && InputSize == other.InputSize && Tasks == other.Tasks
        && ActionUnits.SequenceEqual(other.ActionUnits);

    public override int GetHashCode() =>
        HashCode.Combine(Arch, Classes, LstmHidden, LstmLayers, FcHidden, ClipLength, InputSize, HashCode.Combine(Tasks, ActionUnits.Count, Dropout));

    /// <summary>Throws a <see cref="VideoFerException"/> naming the first invalid setting.</summary>
    public ExpressionNetConfig Validate()
    {
        _ = Backbone;
        if (Classes is not (7 or 8)) throw new VideoFerException($"classes = {Classes}: expected 7 or 8.");
        if (LstmHidden < 1) throw new VideoFerException($"lstm_hidden = {LstmHidden}: expected a positive number.");
        if (LstmLayers < 1) throw new VideoFerException($"lstm_layers = {LstmLayers}: expected a positive number.");
        if (FcHidden < 1) throw new VideoFerException($"fc_hidden = {FcHidden}: expected a positive number.");
        if (Dropout is < 0 or >= 1) throw new VideoFerException($"dropout = {Dropout}: expected a value in [0, 1).");
        if (ClipLength < 1) throw new VideoFerException($"clip_length = {ClipLength}: expected a positive number.");
        if (InputSize < 64) throw new VideoFerException($"input_size = {InputSize}: expected at least 64.");
        var tasks = TaskSet;
        if (tasks.HasFlag(AbawTasks.ActionUnits) != (ActionUnits.Count > 0))
            throw new VideoFerException(tasks.HasFlag(AbawTasks.ActionUnits)
                ? "tasks include au but no action units are named."
                : $"action units ({string.Join(", ", ActionUnits)}) are named but tasks ({Tasks}) do not include au.");
        return this;
    }
}
