using System.CommandLine;
using VideoFer.Sharding;

namespace VideoFer.Cli;

/// <summary>Options that several commands take with one meaning (each command gets its own instance,
/// as System.CommandLine options belong to one command).</summary>
public static class SharedOptions
{
    /// <summary>`--shard i/n`, read from a scheduler's environment when absent (see <see cref="ShardSpec.Resolve"/>).</summary>
    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Process only share i of n (1-based), e.g. 2/4, split by a hash of each input's name. " +
                      $"Without it, a Slurm array task ({ShardSpec.SlurmTaskId}, {ShardSpec.SlurmTaskCount}) or a Kubernetes Indexed Job pod " +
                      $"({ShardSpec.KubernetesIndex} with {ShardSpec.CountVariable}) takes its share; --shard 1/1 takes all.",
    };
}

/// <summary>--model, --margin and --temperature of predict and eval (<see cref="Inference.Predictors.ModelChoice"/>).</summary>
public static class ModelOptions
{
    public static Option<string?> Model() => new("--model")
    {
        Description = "default (docs/DEFAULT_MODEL.md), per-frame models joined by '+' (" + string.Join(", ", Inference.Predictors.FaceModelSettings.KnownModels) +
                      "; +flip averages each face with its mirror image), or a trained checkpoint (.pth) of the paper's clip network.",
    };

    public static Option<float?> Margin() => new("--margin")
    {
        Description = $"Per-frame models: the face square's side over the detector's box side (default {Inference.Predictors.FaceSquare.BoxEnlargement}).",
    };

    public static Option<double?> Temperature() => new("--temperature")
    {
        Description = "Per-frame models: divide the log-probabilities by this (default: the default model's calibrated temperature, 1 for the others).",
    };

    /// <summary>The engine options (--engine, --precision, ...) need a checkpoint as --model.</summary>
    public static void AddEngineValidator(Command command, Option<string?> model, EngineCliOptions engine) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(model) is { Tokens: [{ Value: var m }] } && !Inference.Predictors.FaceModelSettings.IsSpec(m)) return;
            foreach (var o in engine.All)
                if (result.GetResult(o) is { Implicit: false })
                {
                    result.AddError($"{o.Name} applies to --model checkpoints (the per-frame models run in VideoFer's TF.js importer)");
                    break;
                }
        });
}

/// <summary>`--faces detect|whole` of predict and eval.</summary>
public static class FacesOption
{
    public static Option<string> Create()
    {
        var faces = new Option<string>("--faces")
        {
            Description = "detect: find the faces with BlazeFace (default); whole: every image or frame is one face, no detection, for inputs " +
                          "that are face crops already (AffectNet, RAF-DB and FER2013 exports, Aff-Wild2's cropped_aligned, prepare's output).",
            DefaultValueFactory = _ => "detect",
        };
        faces.AcceptOnlyFromAmong("detect", "whole");
        return faces;
    }

    public static Vision.Pipeline.FaceSource Read(string value) => value == "whole" ? Vision.Pipeline.FaceSource.Whole : Vision.Pipeline.FaceSource.Detect;
}

/// <summary>--calibration and --keep-fp32: how an int8 model is made (predict, eval, model export, bench).</summary>
public sealed class QuantizationCliOptions
{
    public Option<string> Calibration { get; } = new("--calibration")
    {
        Description = "With --precision int8: activation ranges from min-max (default) or percentile (99.999th, outliers clipped).",
        DefaultValueFactory = _ => "min-max",
    };
    public Option<string?> KeepFp32 { get; } = new("--keep-fp32")
    {
        Description = "With --precision int8: parts left in float32, comma-separated: " + string.Join(", ", Models.Onnx.QuantizationOptions.FloatPartNames) +
                      " (first-conv: the convolution on the raw image; last-stage: layer4). Closer to fp32, slower (docs/PERFORMANCE.md).",
    };

    public QuantizationCliOptions()
    {
        Calibration.AcceptOnlyFromAmong("min-max", "percentile");
        KeepFp32.Validators.Add(result =>
        {
            foreach (var part in Models.Onnx.QuantizationOptions.SplitFloatParts(result.GetValueOrDefault<string?>()))
                if (!Models.Onnx.QuantizationOptions.FloatPartNames.Contains(part))
                    result.AddError($"--keep-fp32: unknown part '{part}' (known: {string.Join(", ", Models.Onnx.QuantizationOptions.FloatPartNames)})");
        });
    }

    public IEnumerable<Option> All => [Calibration, KeepFp32];

    public Models.Onnx.QuantizationOptions Read(ParseResult parse) => new Models.Onnx.QuantizationOptions
    {
        Method = parse.GetValue(Calibration) == "percentile" ? Models.Onnx.CalibrationMethod.Percentile : Models.Onnx.CalibrationMethod.MinMax,
    }.WithFloatParts(parse.GetValue(KeepFp32));
}

/// <summary>--engine, --precision, --calibrate, --calibration and --keep-fp32 of predict and eval, checked together.</summary>
public sealed class EngineCliOptions
{
    public Option<string> Engine { get; } = new("--engine")
    {
        Description = "Where a checkpoint's network runs: torch (libtorch), onnx (ONNX Runtime, an in-memory export of the same weights) or auto: " +
                      "ONNX Runtime on the CPU (measured ahead of or level with libtorch there), libtorch on a GPU (docs/PERFORMANCE.md).",
        DefaultValueFactory = _ => "auto",
    };
    public Option<string> Precision { get; } = new("--precision")
    {
        Description = "fp32, or int8: static int8 (per-channel weights, calibrated activations) in ONNX Runtime on the CPU; opt-in, close to but not identical with fp32 " +
                      "(measured on trained models: 99.7% of the labels for resnet18-cbam, 95-96.6% for resnet101-cbam; docs/PERFORMANCE.md).",
        DefaultValueFactory = _ => "fp32",
    };
    public Option<DirectoryInfo?> Calibrate { get; } = new("--calibrate")
    {
        Description = "With --precision int8: a folder of face crops (.jpg, .png, .bmp) to calibrate on. Default: the input's own faces (predict: its first 64; eval: 64 spread over the split).",
    };
    public Option<int> CalibrationFaces { get; } = new("--calibration-faces")
    {
        Description = "With --precision int8 and no --calibrate: how many of the input's own faces to calibrate on (predict: its first N, labels held back until then; eval: N spread over the split).",
        DefaultValueFactory = _ => new Models.Engines.EngineOptions().CalibrationFaces,
    };
    public QuantizationCliOptions Quantization { get; } = new();

    public EngineCliOptions()
    {
        Engine.AcceptOnlyFromAmong("auto", "torch", "onnx");
        Precision.AcceptOnlyFromAmong("fp32", "int8");
        CalibrationFaces.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000) r.AddError($"--calibration-faces must be between 1 and 100000, got {r.GetValueOrDefault<int>()}");
        });
    }

    /// <summary>The options that mean something only with --precision int8.</summary>
    IEnumerable<Option> Int8Only => [Calibrate, CalibrationFaces, .. Quantization.All];

    public IEnumerable<Option> All => [Engine, Precision, .. Int8Only];

    /// <summary>Usage errors (exit 2): int8 with --engine torch, int8-only options without int8.</summary>
    public void AddValidator(Command command)
    {
        command.Validators.Add(result =>
        {
            bool int8 = result.GetResult(Precision) is { Tokens: [{ Value: "int8" }] };
            if (int8 && result.GetResult(Engine) is { Tokens: [{ Value: "torch" }] })
                result.AddError("--precision int8 runs in ONNX Runtime only: use --engine onnx or auto, not --engine torch");
            if (!int8)
                foreach (var o in Int8Only)
                    if (result.GetResult(o) is { Implicit: false })
                        result.AddError($"{o.Name} applies to --precision int8");
        });
    }

    public Models.Engines.EngineOptions Read(ParseResult parse) => new()
    {
        Engine = Models.Engines.EngineRule.Parse(parse.GetValue(Engine)!),
        Precision = Models.Engines.EngineRule.ParsePrecision(parse.GetValue(Precision)!),
        CalibrationFolder = parse.GetValue(Calibrate)?.FullName,
        CalibrationFaces = parse.GetValue(CalibrationFaces),
        Quantization = Quantization.Read(parse),
    };
}
