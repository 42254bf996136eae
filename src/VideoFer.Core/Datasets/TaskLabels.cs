namespace VideoFer.Datasets;

/// <summary>The three ABAW tasks a network can be trained for and a track can be annotated for.</summary>
[Flags]
public enum AbawTasks
{
    None = 0,
    /// <summary>Expression classification (7 or 8 classes).</summary>
    Expression = 1,
    /// <summary>Valence-arousal estimation (two values in [-1, 1]).</summary>
    ValenceArousal = 2,
    /// <summary>Action unit detection (one 0/1 per AU).</summary>
    ActionUnits = 4,
    All = Expression | ValenceArousal | ActionUnits,
}

/// <summary>Names of tasks as written in configurations, checkpoints and on the command line:
/// <c>expr</c>, <c>va</c>, <c>au</c>, comma-separated.</summary>
public static class AbawTaskNames
{
    public static string Name(AbawTasks task) => task switch
    {
        AbawTasks.Expression => "expr",
        AbawTasks.ValenceArousal => "va",
        AbawTasks.ActionUnits => "au",
        _ => string.Join(",", Each(task).Select(Name)),
    };

    /// <summary>The single tasks of a set, in the order expr, va, au.</summary>
    public static IEnumerable<AbawTasks> Each(AbawTasks tasks)
    {
        foreach (var t in new[] { AbawTasks.Expression, AbawTasks.ValenceArousal, AbawTasks.ActionUnits })
            if (tasks.HasFlag(t)) yield return t;
    }

    /// <summary>Parses "expr,va,au" (any order, any subset, at least one). Throws a
    /// <see cref="VideoFerException"/> naming an unknown part.</summary>
    public static AbawTasks Parse(string text)
    {
        var tasks = AbawTasks.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            tasks |= part.ToLowerInvariant() switch
            {
                "expr" or "expression" => AbawTasks.Expression,
                "va" or "valence-arousal" => AbawTasks.ValenceArousal,
                "au" or "action-units" => AbawTasks.ActionUnits,
                _ => throw new VideoFerException($"tasks: unknown task '{part}' (known: expr, va, au)"),
            };
        if (tasks == AbawTasks.None)
            throw new VideoFerException($"tasks: '{text}' names no task (known: expr, va, au)");
        return tasks;
    }
}

/// <summary>Valence and arousal of every frame of a track, indexed by frame - 1. A frame without a
/// usable annotation (the -5 of the ABAW files, or a value outside [-1, 1]) holds NaN in both.</summary>
public sealed class ValenceArousalLabels
{
    readonly float[] _valence, _arousal;

    public ValenceArousalLabels(float[] valence, float[] arousal)
    {
        if (valence.Length != arousal.Length)
            throw new ArgumentException("valence and arousal must have one entry per frame", nameof(arousal));
        _valence = valence;
        _arousal = arousal;
    }

    public int FrameCount => _valence.Length;

    /// <summary>Valence of a 1-based frame, NaN where it has none.</summary>
    public float Valence(int frame) => frame >= 1 && frame <= _valence.Length ? _valence[frame - 1] : float.NaN;
    public float Arousal(int frame) => frame >= 1 && frame <= _arousal.Length ? _arousal[frame - 1] : float.NaN;

    /// <summary>Both values are present and in [-1, 1].</summary>
    public bool IsAnnotated(int frame) =>
        Valence(frame) is >= -1f and <= 1f && Arousal(frame) is >= -1f and <= 1f;
}

/// <summary>Action units of every frame of a track: one value per AU and frame, 1 (active), 0 (not) or
/// -1 (not annotated), indexed by frame - 1 and AU position in <see cref="Names"/>.</summary>
public sealed class ActionUnitLabels
{
    readonly sbyte[] _values; // frame-major: [(frame - 1) * Count + au]

    public ActionUnitLabels(IReadOnlyList<string> names, sbyte[] values)
    {
        if (names.Count == 0)
            throw new ArgumentException("at least one AU", nameof(names));
        if (values.Length % names.Count != 0)
            throw new ArgumentException("values must hold one entry per AU and frame", nameof(values));
        Names = names;
        _values = values;
    }

    /// <summary>The AUs in file order, e.g. AU1, AU2, AU4, ...</summary>
    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;
    public int FrameCount => _values.Length / Names.Count;

    /// <summary>1, 0, or -1 (not annotated, or past the end of the file).</summary>
    public int Value(int frame, int au) =>
        frame >= 1 && frame <= FrameCount ? _values[(frame - 1) * Count + au] : -1;

    /// <summary>Every AU of the frame is 0 or 1 (ABAW files mark an unannotated frame with -1 in all of them).</summary>
    public bool IsAnnotated(int frame)
    {
        if (frame < 1 || frame > FrameCount) return false;
        for (int j = 0; j < Count; j++)
            if (_values[(frame - 1) * Count + j] < 0) return false;
        return true;
    }
}
