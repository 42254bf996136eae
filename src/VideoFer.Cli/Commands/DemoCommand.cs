using System.CommandLine;
using Spectre.Console;
using VideoFer.Models;
using static TorchSharp.torch;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer demo`: runs the paper's network end to end on a generated clip and prints per-frame
/// class probabilities. Placeholder for the real demo on a video (the predict issue replaces it).</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "Backbone.", DefaultValueFactory = _ => "resnet101-cbam" };
        var seed = new Option<int>("--seed") { Description = "Seed for the weights and the clip.", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run the paper's network (randomly initialised) on a generated 8-frame clip and print per-frame probabilities.")
        {
            arch, seed,
        };
        command.SetAction(parse =>
        {
            manual_seed(parse.GetValue(seed));
            var config = new ExpressionNetConfig { Arch = parse.GetValue(arch)! }.Validate();
            using var net = new ExpressionNet(config);
            net.eval();
            var names = ExpressionClasses.Names(config.Classes);
            AnsiConsole.MarkupLine($"[bold]{config.Arch}[/] + BLSTM({config.LstmHidden}x2) + FC({config.FcHidden}) -> {config.Classes} classes; weights: [yellow]random (untrained)[/]");
            float[,,] probs;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            using (inference_mode())
            {
                var clip = GeneratedClip(config.ClipLength, config.InputSize);
                var p = nn.functional.softmax(net.forward(clip), dim: -1);
                probs = new float[1, config.ClipLength, config.Classes];
                var flat = p.data<float>().ToArray();
                for (int t = 0; t < config.ClipLength; t++)
                    for (int k = 0; k < config.Classes; k++)
                        probs[0, t, k] = flat[t * config.Classes + k];
            }
            var table = new Table().AddColumn("frame");
            foreach (var n in names) table.AddColumn(new TableColumn(n).RightAligned());
            for (int t = 0; t < config.ClipLength; t++)
                table.AddRow(new[] { (t + 1).ToString() }.Concat(Enumerable.Range(0, config.Classes).Select(k => probs[0, t, k].ToString("0.000"))).ToArray());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"one clip of {config.ClipLength} frames at {config.InputSize}x{config.InputSize} in {watch.Elapsed.TotalSeconds:0.00} s on {TorchSharp.torch.get_num_threads()} threads");
            return CommandRunner.ExitOk;
        });
        return command;
    }

    // A moving bright disc on a gradient, ImageNet-normalised: something that changes over time.
    static Tensor GeneratedClip(int frames, int size)
    {
        var coords = linspace(-1, 1, size);
        var yy = coords.view(size, 1).expand(size, size);
        var xx = coords.view(1, size).expand(size, size);
        var list = new List<Tensor>();
        for (int t = 0; t < frames; t++)
        {
            double cx = -0.5 + t / (double)Math.Max(1, frames - 1);
            var disc = ((xx - cx).square() + yy.square() < 0.15).to_type(ScalarType.Float32);
            var rgb = stack([0.5f + 0.3f * xx + 0.4f * disc, 0.4f + 0.2f * yy + 0.3f * disc, 0.3f + 0.2f * disc]).clamp(0, 1);
            var mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }).view(3, 1, 1);
            var std = tensor(new float[] { 0.229f, 0.224f, 0.225f }).view(3, 1, 1);
            list.Add((rgb - mean) / std);
        }
        return stack(list).unsqueeze(0);
    }
}
