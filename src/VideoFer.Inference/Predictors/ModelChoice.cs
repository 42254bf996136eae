using System.Globalization;
using TorchSharp;

namespace VideoFer.Inference.Predictors;

/// <summary>The model predict and eval run, as <c>--model</c> (with <c>--margin</c> and <c>--temperature</c>) chooses
/// it: per-frame models (<see cref="FaceModelSettings"/>: the default, faceapi, human, their average, +flip) or a
/// trained checkpoint of the paper's clip network. One construction path for every command and the library.</summary>
public sealed record ModelChoice
{
    /// <summary>A checkpoint file, or null for per-frame models.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The per-frame models, or null for a checkpoint.</summary>
    public FaceModelSettings? PerFrame { get; init; }

    public static ModelChoice Default { get; } = new() { PerFrame = FaceModelSettings.Default };

    /// <summary>"default", model names joined by '+' (faceapi, human, flip), or a checkpoint path; the margin and
    /// temperature apply to per-frame models only.</summary>
    public static ModelChoice Parse(string? model, float? margin = null, double? temperature = null)
    {
        model ??= "default";
        if (FaceModelSettings.IsSpec(model))
        {
            var settings = FaceModelSettings.Parse(model);
            if (margin is float m) settings = settings with { Margin = m };
            if (temperature is double t) settings = settings with { Temperature = t };
            return new ModelChoice { PerFrame = settings.Check() };
        }
        if (margin is not null) throw new VideoFerException($"--margin applies to the per-frame models ({string.Join(", ", FaceModelSettings.KnownModels)}), not to the checkpoint {model}");
        if (temperature is not null) throw new VideoFerException($"--temperature applies to the per-frame models ({string.Join(", ", FaceModelSettings.KnownModels)}), not to the checkpoint {model}");
        if (Directory.Exists(model)) throw new VideoFerException($"--model {model}: is a folder; expected a checkpoint file (.pth) or one of: default, {string.Join(", ", FaceModelSettings.KnownModels)}");
        if (!File.Exists(model))
            throw new VideoFerException($"--model {model}: no such file; expected a checkpoint file (.pth) or one of: default, " +
                                        $"{string.Join(", ", FaceModelSettings.KnownModels)} (joined by '+', optionally +flip)");
        return new ModelChoice { Checkpoint = Path.GetFullPath(model) };
    }

    /// <summary>How settings and reports name it: "default", a spec with any margin and temperature that differ, or
    /// the checkpoint's full path.</summary>
    public string Name
    {
        get
        {
            if (Checkpoint is string c) return c;
            var s = PerFrame!;
            if (s.IsDefault) return "default";
            var d = FaceModelSettings.Default;
            return s.Spec + (s.Margin != d.Margin ? string.Create(CultureInfo.InvariantCulture, $";margin={s.Margin}") : "")
                          + (s.Temperature != d.Temperature ? string.Create(CultureInfo.InvariantCulture, $";temperature={s.Temperature}") : "");
        }
    }

    /// <summary>Loads the model(s).</summary>
    public IExpressionPredictor Open(torch.Device? device = null, int? baseSize = null, Models.Engines.EngineOptions? engine = null)
    {
        if (Checkpoint is string checkpoint)
            return new ClipModelPredictor(checkpoint, device ?? torch.CPU, baseSize, engine ?? new Models.Engines.EngineOptions());
        if (baseSize is int side)
            throw new VideoFerException($"--base-size {side}: applies to --model checkpoints only (the per-frame models cut their own face squares)");
        return new FaceModelPredictor(PerFrame);
    }
}
