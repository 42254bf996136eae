using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Models;
using VideoFer.Models.Backbones;
using VideoFer.Models.Onnx;
using VideoFer.Models.Summary;
using VideoFer.Models.Weights;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer model summary|init|inspect|export`: the network's size and shapes, its weights
/// files, and ONNX export.</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Inspect the paper's network and its weights files.");
        model.Subcommands.Add(Summary());
        model.Subcommands.Add(Init());
        model.Subcommands.Add(Inspect());
        model.Subcommands.Add(Export());
        return model;
    }

    static Option<string> ArchOption(string defaultArch = "resnet101-cbam") => new("--arch")
    {
        Description = $"Backbone: {string.Join(", ", ResNetSpec.KnownNames)}.",
        DefaultValueFactory = _ => defaultArch,
    };

    static Command Summary()
    {
        var arch = ArchOption();
        var classes = new Option<int>("--classes") { Description = "Outputs of the classifier (7 or 8 for expressions; 1000 to compare with ImageNet counts).", DefaultValueFactory = _ => 7 };
        var clipLength = new Option<int>("--clip-length") { Description = "Frames per clip.", DefaultValueFactory = _ => 8 };
        var inputSize = new Option<int>("--input-size") { Description = "Input side in pixels (>= 64).", DefaultValueFactory = _ => 224 };
        var command = new Command("summary", "Print trainable parameters (total and per stage) and the input/output shapes for a clip.")
        {
            arch, classes, clipLength, inputSize, GlobalOptions.Json,
        };
        command.SetAction(parse =>
        {
            var s = ModelSummary.Create(parse.GetValue(arch)!, parse.GetValue(classes), parse.GetValue(clipLength), parse.GetValue(inputSize));
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    arch = s.Arch,
                    classes = s.Classes,
                    parameters = s.Parameters,
                    stages = s.Stages.ToDictionary(p => p.Name, p => p.Parameters),
                    feature_dim = s.FeatureDim,
                    clip_model = new
                    {
                        classes = s.ClipModelClasses,
                        parameters = s.ClipModelParameters,
                        parts = s.ClipModelParts.ToDictionary(p => p.Name, p => p.Parameters),
                        input_shape = s.ClipInputShape,
                        output_shape = s.ClipOutputShape,
                    },
                    frame_model = new { input_shape = s.FrameInputShape, output_shape = s.FrameOutputShape },
                }));
                return CommandRunner.ExitOk;
            }
            AnsiConsole.MarkupLine($"[bold]{s.Arch}[/] with a {s.Classes}-class fc: [bold]{s.Parameters:N0}[/] trainable parameters");
            var stages = new Table().AddColumn("stage").AddColumn(new TableColumn("parameters").RightAligned());
            foreach (var p in s.Stages) stages.AddRow(p.Name, p.Parameters.ToString("N0"));
            AnsiConsole.Write(stages);
            AnsiConsole.MarkupLine($"\nClip model (backbone -> BLSTM -> FC, {s.ClipModelClasses} classes): [bold]{s.ClipModelParameters:N0}[/] trainable parameters");
            var parts = new Table().AddColumn("part").AddColumn(new TableColumn("parameters").RightAligned());
            foreach (var p in s.ClipModelParts) parts.AddRow(p.Name, p.Parameters.ToString("N0"));
            AnsiConsole.Write(parts);
            AnsiConsole.WriteLine($"clip input  {Shape(s.ClipInputShape)}  (batch, time, channels, height, width)");
            AnsiConsole.WriteLine($"per-frame features {s.FeatureDim}");
            AnsiConsole.WriteLine($"clip output {Shape(s.ClipOutputShape)}  (batch, time, classes)");
            AnsiConsole.WriteLine($"frame model: {Shape(s.FrameInputShape)} -> {Shape(s.FrameOutputShape)}");
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static Command Init()
    {
        var arch = ArchOption();
        var classes = new Option<int>("--classes") { Description = "7 or 8.", DefaultValueFactory = _ => 7 };
        var kind = new Option<ModelKind>("--kind") { Description = "clip (the paper's network) or frame (pre-training on images).", DefaultValueFactory = _ => ModelKind.Clip };
        var backbone = new Option<FileInfo?>("--backbone-weights") { Description = "A torchvision/PyTorch ResNet state_dict (.pth), e.g. ImageNet weights. Its fc is ignored; CBAM keeps its initialisation if the file has none." };
        var seed = new Option<int>("--seed") { Description = "Seed for the random initialisation.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "Checkpoint to write.", Required = true };
        var command = new Command("init", "Create a VideoFer checkpoint, optionally starting the backbone from a PyTorch state_dict.")
        {
            arch, classes, kind, backbone, seed, output,
        };
        command.SetAction(parse =>
        {
            TorchSharp.torch.manual_seed(parse.GetValue(seed));
            var config = new ExpressionNetConfig { Arch = parse.GetValue(arch)!, Classes = parse.GetValue(classes) }.Validate();
            using var net = ExpressionNetwork.Create(parse.GetValue(kind), config);
            var resnet = net.Backbone;
            if (parse.GetValue(backbone) is FileInfo weights)
            {
                var report = Checkpoint.LoadBackbone(resnet, weights.FullName);
                int cbamTensors = resnet.state_dict().Keys.Count(k => k.Contains(".cbam."));
                Console.WriteLine($"loaded {report.Loaded} backbone tensors from {weights.Name}" +
                    (report.Loaded < resnet.state_dict().Count ? $"; {cbamTensors} CBAM tensors keep their initialisation" : ""));
            }
            string path = parse.GetValue(output)!.FullName;
            Checkpoint.Save(path, net);
            Console.WriteLine($"wrote {path} ({config.Arch} {parse.GetValue(kind).ToString().ToLowerInvariant()} model, {config.Classes} classes)");
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static Command Inspect()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A VideoFer checkpoint or a PyTorch state_dict (.pth)." };
        var arch = new Option<string?>("--arch") { Description = "Check that the weights fit this backbone exactly (state_dicts) or that the checkpoint is of it." };
        var command = new Command("inspect", "Read a weights file and report what it holds; with --arch, check it fits.")
        {
            file, arch, GlobalOptions.Json,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!.FullName;
            string? wanted = parse.GetValue(arch);
            var info = Checkpoint.ReadInfo(path);
            var tensors = StateDictFile.ReadStateDict(path);
            long values = tensors.Values.Sum(t => t.numel());
            string verdict;
            if (info != null)
            {
                using var loaded = Checkpoint.Load(path, wanted).Model; // strict: every key and shape
                verdict = $"checkpoint of {info.Describe()}; loads strictly";
            }
            else if (wanted != null)
            {
                using var resnet = new ResNet(ResNetSpec.Parse(wanted), tensors.ContainsKey("fc.weight") ? tensors["fc.weight"].shape[0] : 0);
                WeightLoader.Load(resnet, tensors, path, strict: true);
                verdict = $"state_dict that fits {wanted} exactly";
            }
            else verdict = "state_dict (use --arch to check it against a backbone)";
            foreach (var t in tensors.Values) t.Dispose();
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(JsonOutput.Serialize(new { file = path, tensors = tensors.Count, values, arch = info?.Config.Arch, kind = info?.Kind.ToString().ToLowerInvariant(), classes = info?.Config.Classes, verdict }));
            else
                Console.WriteLine($"{path}: {tensors.Count} tensors, {values:N0} values; {verdict}");
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static Command Export()
    {
        var onnx = new Option<FileInfo>("--onnx") { Description = "ONNX file to write (opset 17, batch norm folded; batch, time and image size dynamic).", Required = true };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A VideoFer checkpoint (clip or frame model) to export; without it, a freshly initialised network of --arch." };
        var arch = new Option<string?>("--arch") { Description = $"Backbone of a fresh network ({string.Join(", ", ResNetSpec.KnownNames)}); with --checkpoint, check the checkpoint is of it." };
        var kind = new Option<ModelKind>("--kind") { Description = "clip or frame, for a fresh network.", DefaultValueFactory = _ => ModelKind.Clip };
        var classes = new Option<int>("--classes") { Description = "7 or 8, for a fresh network.", DefaultValueFactory = _ => 7 };
        var seed = new Option<int>("--seed") { Description = "Seed of a fresh network's initialisation.", DefaultValueFactory = _ => 0 };
        var precision = new Option<string>("--precision") { Description = "fp32, or int8: static int8 QDQ (per-channel int8 weights, uint8 activations calibrated on --calibrate; needs --checkpoint).", DefaultValueFactory = _ => "fp32" };
        precision.AcceptOnlyFromAmong("fp32", "int8");
        var calibrate = new Option<DirectoryInfo?>("--calibrate") { Description = "With --precision int8: a folder of face crops (.jpg, .png, .bmp), preprocessed as the checkpoint's faces, to calibrate activation ranges on." };
        var quantization = new QuantizationCliOptions();
        var command = new Command("export", "Write a clip or frame model as ONNX, for ONNX Runtime, mobile or the browser.")
        {
            onnx, checkpoint, arch, kind, classes, seed, precision, calibrate,
        };
        foreach (var o in quantization.All) command.Options.Add(o);
        command.Validators.Add(result =>
        {
            bool int8 = result.GetResult(precision) is { Tokens: [{ Value: "int8" }] };
            if (int8 && result.GetResult(checkpoint) is not { Implicit: false })
                result.AddError("--precision int8 needs --checkpoint: calibrating a freshly initialised network means nothing");
            if (int8 && result.GetResult(calibrate) is not { Implicit: false })
                result.AddError("--precision int8 needs --calibrate DIR (a folder of face crops to calibrate on)");
            if (!int8)
                foreach (var o in quantization.All.Prepend(calibrate))
                    if (result.GetResult(o) is { Implicit: false }) result.AddError($"{o.Name} applies to --precision int8");
        });
        command.SetAction(parse =>
        {
            string? wanted = parse.GetValue(arch);
            TorchSharp.torch.nn.Module net;
            Preprocessing? preprocessing = null;
            if (parse.GetValue(checkpoint) is FileInfo file)
            {
                var (loaded, info) = Checkpoint.Load(file.FullName, wanted);
                net = loaded;
                preprocessing = info.Preprocessing;
            }
            else
            {
                TorchSharp.torch.manual_seed(parse.GetValue(seed));
                var config = new ExpressionNetConfig { Arch = wanted ?? "resnet101-cbam", Classes = parse.GetValue(classes) }.Validate();
                net = parse.GetValue(kind) == ModelKind.Clip ? new ExpressionNet(config) : new FrameExpressionNet(config);
            }
            using (net)
            {
                string path = parse.GetValue(onnx)!.FullName;
                string int8 = "";
                if (parse.GetValue(precision) == "int8")
                {
                    var p = preprocessing!;
                    var images = Data.Images.ImagePipelineOptions.ForEvaluation(p.InputSize, p.BaseSize, p.Mean, p.Std);
                    var faces = Inference.Predictors.CalibrationImages.Load(parse.GetValue(calibrate)!.FullName, new Data.Images.ImageTransform(images));
                    var fp32 = OnnxExporter.Build(net);
                    // Clips for a clip model; for a frame model, batches of 8 images.
                    var inputs = net is ExpressionNet
                        ? Inference.Predictors.CalibrationImages.Clips(faces, p.ClipLength, images.CropSize)
                        : Inference.Predictors.CalibrationImages.Clips(faces, 8, images.CropSize).Select(t => t.reshape(-1, 3, images.CropSize, images.CropSize));
                    var options = quantization.Read(parse);
                    var q = QdqQuantizer.Quantize(fp32, inputs, options);
                    VideoFer.IO.AtomicFile.Write(path, temp =>
                    {
                        using var stream = File.Create(temp);
                        Google.Protobuf.MessageExtensions.WriteTo(q, stream);
                    });
                    int8 = $"; static int8 QDQ, {options.Describe()} on {faces.Count} faces";
                }
                else OnnxExporter.Export(net, path);
                var c = net is ExpressionNet clip ? clip.Config : ((FrameExpressionNet)net).Config;
                string io = net is ExpressionNet ? "clips (batch, time, 3, H, W) -> logits (batch, time, classes)" : "images (batch, 3, H, W) -> logits (batch, classes)";
                Console.WriteLine($"wrote {path} ({c.Arch} {(net is ExpressionNet ? "clip" : "frame")} model, {c.Classes} classes, opset {OnnxExporter.Opset}, batch norm folded{int8}; {io}; {new FileInfo(path).Length / 1e6:0.0} MB)");
            }
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static string Shape(long[] shape) => "(" + string.Join(", ", shape) + ")";
}
