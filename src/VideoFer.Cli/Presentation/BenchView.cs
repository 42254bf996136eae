using System.Text.Json;
using VideoFer.Models.Runtime;
using System.Text.Json.Serialization;
using Spectre.Console;
using VideoFer.Performance;
using VideoFer.Submissions;
using VideoFer.IO;
using VideoFer.Formats;

namespace VideoFer.Cli.Presentation;

/// <summary>Tables, JSON and a bar chart of a <see cref="BenchReport"/>.</summary>
static class BenchView
{
    public static readonly JsonSerializerOptions Json = JsonOutput.With(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    });

    public static void Print(BenchReport r, string folder, string? png)
    {
        var m = r.Machine;
        AnsiConsole.MarkupLine(Markup.Escape($"{m.CpuFeatures?.Summary ?? m.Cpu}, {m.Cores} cores, {m.Threads} libtorch threads; libtorch {m.LibTorch} (TorchSharp {m.TorchSharp})" +
            (m.PyTorch != null ? $" vs PyTorch {m.PyTorch}" : "") + $"; input {r.InputSize}x{r.InputSize}, clips of {r.ClipLength} frames"));
        if (m.Kernels is { } kernels)
        {
            var wrong = kernels.Where(k => !k.Right).ToList();
            AnsiConsole.MarkupLine(Markup.Escape($"kernel self-check: {kernels.Count - wrong.Count} of {kernels.Count} right" +
                (wrong.Count > 0 ? "; wrong: " + string.Join("; ", wrong.Select(k => k.Kernel + (k.Use == KernelUse.Avoided ? " (avoided)" : ""))) : "")));
        }
        if (r.Inference.Count > 0)
        {
            AnsiConsole.MarkupLine("[grey]networks: backbone + BLSTM + FC; ratios: VideoFer frames/s over the peer's, best peer first; max |diff|: optimized vs as trained / vs PyTorch / vs ONNX Runtime[/]");
            var t = new Table().Title($"inference, frames/s (VideoFer optimized; as trained; PyTorch eager, inference_mode; ONNX Runtime {m.OnnxRuntime ?? "-"}, same weights as ONNX)")
                .AddColumns("network", "clips", "VideoFer", "ms", "as trained", "PyTorch", "ONNX Runtime", "vs best peer", "vs PyTorch", "vs ORT", "GFLOP/s", "max |diff|");
            foreach (var i in r.Inference)
                t.AddRow(i.Arch, i.Clips.ToString(), $"{i.FramesPerSecond:0.00}", $"{i.LatencyMs:0}", $"{i.UnoptimizedFramesPerSecond:0.00}",
                    Fps(i.PyTorchFramesPerSecond), Fps(i.OnnxRuntimeFramesPerSecond),
                    i.SpeedupVsBestPeer is double b ? $"{b:0.00}x ({(i.BestPeer == "pytorch" ? "PyTorch" : "ORT")})" : "-",
                    Ratio(i.Speedup), Ratio(i.SpeedupVsOnnxRuntime), $"{i.GflopsPerSecond:0}",
                    $"{i.MaxDiffOptimizedVsUnoptimized:0.0e0} / {Diff(i.MaxDiffVsPyTorch)} / {Diff(i.MaxDiffVsOnnxRuntime)}");
            AnsiConsole.Write(t);
            if (r.Inference.Any(i => i.OnnxRuntimeInt8 != null))
            {
                var q = new Table().Title($"int8 (static QDQ, per-channel weights, {r.Int8Quantization}) in ONNX Runtime, frames/s; random weights: speed only")
                    .AddColumns("network", "clips", "ORT int8", "ORT fp32", "VideoFer fp32", "int8 / ORT fp32", "int8 / VideoFer", "int8 min-max s");
                foreach (var i in r.Inference.Where(i => i.OnnxRuntimeInt8 != null))
                    q.AddRow(i.Arch, i.Clips.ToString(), Fps(i.OnnxRuntimeInt8FramesPerSecond), Fps(i.OnnxRuntimeFramesPerSecond), $"{i.FramesPerSecond:0.00}",
                        Ratio(i.Int8SpeedupVsOnnxRuntime), Ratio(i.Int8SpeedupVsVideoFer), $"{i.OnnxRuntimeInt8!.Min:0.00}-{i.OnnxRuntimeInt8.Max:0.00}");
                AnsiConsole.Write(q);
            }
        }
        if (r.Train.Count > 0)
        {
            var t = new Table().Title("training step, seconds (forward, cross-entropy, backward, SGD)").AddColumns("network", "frames", "VideoFer", "PyTorch", "ratio");
            foreach (var s in r.Train)
                t.AddRow(s.Arch, s.Frames.ToString(), $"{s.VideoFer.Median:0.000}", s.PyTorch is Timing p ? $"{p.Median:0.000}" : "-", s.Speedup is double x ? $"{x:0.00}x" : "-");
            AnsiConsole.Write(t);
        }
        if (r.Ceiling is CeilingResult c)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"ceiling: {c.Size}x{c.Size} float32 matrix product in libtorch {c.Gflops:0} GFLOP/s" +
                (c.PyTorchGflops is double pg ? $" (PyTorch {m.PyTorch}: {pg:0.0} GFLOP/s)" : "")));
            foreach (var i in r.Inference.Where(i => i.Clips == r.Inference.Max(x => x.Clips)))
                AnsiConsole.MarkupLine(Markup.Escape($"  {i.Arch} + BLSTM, {i.Clips} clips: {i.GflopsPerSecond:0} GFLOP/s = {100 * i.GflopsPerSecond / c.Gflops:0}% of the ceiling"));
        }
        if (r.Predict is PredictResult p2)
            AnsiConsole.MarkupLine(Markup.Escape($"predict with {p2.Arch} on {Path.GetFileName(p2.Video)}: {p2.Frames} frames, {p2.Faces} faces in {p2.Seconds:0.0} s = " +
                $"{p2.FramesPerSecond:0.00} frames/s, {p2.FacesPerSecond:0.00} faces/s = {100 * p2.FractionOfBackbone:0}% of the network alone on as many faces ({p2.BackboneFramesPerSecond:0.00} frames/s; best of {p2.Runs.Count} alternating runs each); " +
                $"face pipeline alone (decode, detect, track, align; one thread): {p2.FacePipelineFramesPerSecond:0.0} frames/s; " +
                $"predict with the default model: {p2.DefaultModelFramesPerSecond:0.0} frames/s with people, {p2.DefaultModelNoPeopleFramesPerSecond:0.0} with --people off (people cost {100 * p2.PeopleCost:0.0}%)"));
        if (r.Memory is MemoryResult mem)
        {
            foreach (var run in new[] { mem.Short, mem.Long })
                AnsiConsole.MarkupLine(Markup.Escape($"predict memory, {Path.GetFileName(run.Video)} ({run.DurationSeconds / 60:0.0} min, {run.Frames} frames): peak resident {run.PeakResidentMiB:0} MiB, {run.Seconds:0} s"));
            AnsiConsole.MarkupLine(Markup.Escape($"  long / short peak: {mem.Ratio:0.000}"));
        }
        AnsiConsole.MarkupLine(Markup.Escape($"figures: {Path.Combine(folder, "bench.json")}" + (png != null ? $", chart: {png}" : "")));
    }

    static string Fps(double? value) => value is double v ? $"{v:0.00}" : "-";
    static string Ratio(double? value) => value is double v ? $"{v:0.00}x" : "-";
    static string Diff(double? value) => value is double v ? v.ToString("0.0e0") : "-";

    /// <summary>Frames/s per network and batch, VideoFer beside PyTorch and ONNX Runtime; null when there is nothing to draw.</summary>
    public static string? SavePlot(BenchReport r, string path)
    {
        if (r.Inference.Count == 0) return null;
        var plot = new ScottPlot.Plot();
        var ticks = new List<ScottPlot.Tick>();
        for (int k = 0; k < r.Inference.Count; k++)
        {
            var i = r.Inference[k];
            var ours = plot.Add.Bar(position: 4 * k, value: i.FramesPerSecond);
            ours.Color = ScottPlot.Colors.SteelBlue;
            ours.LegendText = k == 0 ? "VideoFer (optimized)" : "";
            if (i.PyTorchFramesPerSecond is double p)
            {
                var theirs = plot.Add.Bar(position: 4 * k + 1, value: p);
                theirs.Color = ScottPlot.Colors.Orange;
                theirs.LegendText = k == 0 ? "PyTorch eager" : "";
            }
            if (i.OnnxRuntimeFramesPerSecond is double o)
            {
                var ort = plot.Add.Bar(position: 4 * k + 2, value: o);
                ort.Color = ScottPlot.Colors.SeaGreen;
                ort.LegendText = k == 0 ? "ONNX Runtime" : "";
            }
            ticks.Add(new ScottPlot.Tick(4 * k + 1, $"{i.Arch}\n{i.Clips} clip{(i.Clips > 1 ? "s" : "")}"));
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Left.Label.Text = "frames/s";
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Clip network inference, {r.InputSize}x{r.InputSize}, {r.Machine.Threads} threads");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight); // the tallest bars are on the left
        AtomicFile.Write(path, temp => plot.SavePng(temp, 1000, 500));
        return path;
    }
}
