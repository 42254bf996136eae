using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Cli.Presentation;
using VideoFer.Performance;
using VideoFer.IO;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer bench`: speed of the clip networks against PyTorch and ONNX Runtime, the training step, the CPU's
/// ceiling, end-to-end predict and predict's memory on a long video (docs/PERFORMANCE.md).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var defaults = new BenchOptions { WorkDirectory = "" };
        var sections = new Option<string>("--sections") { Description = "Comma-separated parts to run: inference, train, ceiling, predict, memory, or all.", DefaultValueFactory = _ => "all" };
        var archs = new Option<string>("--archs") { Description = "Backbones of the clip networks, comma-separated.", DefaultValueFactory = _ => string.Join(",", defaults.Archs) };
        var batches = new Option<string>("--batches") { Description = "Clips per inference batch, comma-separated.", DefaultValueFactory = _ => string.Join(",", defaults.ClipBatches) };
        var threads = new Option<int>("--threads") { Description = "libtorch threads on both sides (0 = all cores)." };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per inference measurement (after two warm-up runs).", DefaultValueFactory = _ => defaults.Repeats };
        var trainRepeats = new Option<int>("--train-repeats") { Description = "Timed training steps (after two warm-up steps).", DefaultValueFactory = _ => defaults.TrainRepeats };
        var size = new Option<int>("--input-size") { Description = "Network input side in pixels.", DefaultValueFactory = _ => defaults.InputSize };
        var video = new Option<string?>("--video") { Description = "Video for the predict and memory parts (default: tests/fixtures/media/Megamind.avi under the working directory)." };
        var predictArch = new Option<string>("--predict-arch") { Description = "Backbone of the clip network that the predict part runs.", DefaultValueFactory = _ => defaults.PredictArch };
        var longMinutes = new Option<double>("--long-minutes") { Description = "Length of the generated long video of the memory part.", DefaultValueFactory = _ => defaults.LongVideoMinutes };
        var longFps = new Option<double>("--long-fps") { Description = "Its frame rate.", DefaultValueFactory = _ => defaults.LongVideoFps };
        var noPyTorch = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch side (no python3/torch needed)." };
        var noOrt = new Option<bool>("--no-onnxruntime") { Description = "Skip timing the same weights exported to ONNX in ONNX Runtime." };
        var noInt8 = new Option<bool>("--no-int8") { Description = "Skip timing the static int8 (QDQ) model of the same export in ONNX Runtime." };
        var python = new Option<string>("--python") { Description = "Python with torch for the PyTorch side.", DefaultValueFactory = _ => defaults.Python };
        var work = new Option<DirectoryInfo>("--out") { Description = "Folder for weights, inputs, the long video, bench.json and bench.png.", DefaultValueFactory = _ => new DirectoryInfo("out/bench") };
        var command = new Command("bench", "Measure inference and training speed against PyTorch and ONNX Runtime, the CPU's ceiling, end-to-end predict and its memory.");
        var quantization = new QuantizationCliOptions(); // --calibration, --keep-fp32: how the timed int8 model is made
        foreach (var o in new Option[] { sections, archs, batches, threads, repeats, trainRepeats, size, video, predictArch, longMinutes, longFps, noPyTorch, noOrt, noInt8, python, work, GlobalOptions.Json }.Concat(quantization.All))
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var parts = ParseSections(parse.GetValue(sections)!);
            var archList = SplitList(parse.GetValue(archs)!, "--archs");
            foreach (var arch in archList.Append(parse.GetValue(predictArch)!)) Models.Backbones.ResNetSpec.Parse(arch); // fail before hours of work
            var batchList = SplitList(parse.GetValue(batches)!, "--batches").Select(b => int.TryParse(b, out int n) && n > 0 ? n
                : throw new VideoFerException($"--batches: '{b}' is not a positive number")).ToList();
            string? videoPath = parse.GetValue(video);
            if (videoPath == null && (parts & (BenchSections.Predict | BenchSections.Memory)) != 0)
            {
                videoPath = Path.Combine("tests", "fixtures", "media", "Megamind.avi");
                if (!File.Exists(videoPath))
                    throw new VideoFerException($"the predict and memory parts need a video: give --video, or fetch the test media ({videoPath}) with `bash scripts/fetch-test-media.sh`");
            }
            if (videoPath != null && !File.Exists(videoPath))
                throw VideoFerException.InFile(videoPath, "does not exist (--video)");
            var options = new BenchOptions
            {
                Sections = parts,
                Archs = archList,
                ClipBatches = batchList,
                Threads = parse.GetValue(threads),
                Repeats = Positive(parse.GetValue(repeats), "--repeats"),
                TrainRepeats = Positive(parse.GetValue(trainRepeats), "--train-repeats"),
                InputSize = parse.GetValue(size) >= 64 ? parse.GetValue(size) : throw new VideoFerException("--input-size must be at least 64"),
                Video = videoPath,
                PredictArch = parse.GetValue(predictArch)!,
                LongVideoMinutes = parse.GetValue(longMinutes),
                LongVideoFps = parse.GetValue(longFps),
                PyTorch = !parse.GetValue(noPyTorch),
                OnnxRuntime = !parse.GetValue(noOrt),
                Int8 = !parse.GetValue(noInt8),
                Quantization = quantization.Read(parse),
                Python = parse.GetValue(python)!,
                WorkDirectory = parse.GetValue(work)!.FullName,
            };
            bool json = parse.GetValue(GlobalOptions.Json);
            var bench = new Bench(options, SelfPredictCommand)
            {
                Status = json ? null : new SynchronousProgress<string>(m => AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(m)}")),
            };
            var report = bench.Run();
            string reportJson = JsonSerializer.Serialize(report, BenchView.Json);
            IO.AtomicFile.WriteText(Path.Combine(options.WorkDirectory, "bench.json"), w => w.Write(reportJson));
            string? png = BenchView.SavePlot(report, Path.Combine(options.WorkDirectory, "bench.png"));
            if (json) Console.WriteLine(reportJson);
            else BenchView.Print(report, options.WorkDirectory, png);
            foreach (var error in report.Errors) Console.Error.WriteLine($"videofer: error: bench {error}");
            return report.Errors.Count == 0 ? CommandRunner.ExitOk : CommandRunner.ExitUserError;
        });
        return command;
    }

    /// <summary>`videofer predict ...` as a child of this very program (apphost or `dotnet videofer.dll`).</summary>
    static ProcessStartInfo SelfPredictCommand(IReadOnlyList<string> predictArgs)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("unknown program path");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        start.ArgumentList.Add("predict");
        foreach (var a in predictArgs) start.ArgumentList.Add(a);
        return start;
    }

    static BenchSections ParseSections(string text)
    {
        var result = BenchSections.None;
        foreach (var part in SplitList(text, "--sections"))
            result |= part.ToLowerInvariant() switch
            {
                "all" => BenchSections.All,
                "inference" => BenchSections.Inference,
                "train" => BenchSections.Train,
                "ceiling" => BenchSections.Ceiling,
                "predict" => BenchSections.Predict,
                "memory" => BenchSections.Memory,
                _ => throw new VideoFerException($"--sections: unknown part '{part}' (allowed: inference, train, ceiling, predict, memory, all)"),
            };
        return result;
    }

    static IReadOnlyList<string> SplitList(string text, string option)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new VideoFerException($"{option}: expected a comma-separated list, got '{text}'");
    }

    static int Positive(int value, string option) =>
        value > 0 ? value : throw new VideoFerException($"{option} must be at least 1 (got {value})");

    /// <summary>Progress that reports on the calling thread, so lines print in order.</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
