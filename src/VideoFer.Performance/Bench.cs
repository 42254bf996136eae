using System.Diagnostics;
using VideoFer.Models.Runtime;
using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>`videofer bench` as a library call: runs the sections of <see cref="BenchOptions"/> in
/// order, one at a time on a machine that should be otherwise idle, and returns every figure.</summary>
public sealed class Bench(BenchOptions options, Func<IReadOnlyList<string>, ProcessStartInfo>? predictCommand = null)
{
    /// <summary>Reports each step as it starts ("resnet50-cbam: inference, 4 clips").</summary>
    public IProgress<string>? Status { get; init; }

    public BenchReport Run(CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        int previousThreads = get_num_threads();
        set_num_threads(options.EffectiveThreads);
        try { return RunSections(ct); }
        finally { set_num_threads(previousThreads); }
    }

    BenchReport RunSections(CancellationToken ct)
    {
        var s = options.Sections;
        var pytorch = options.PyTorch && s.HasFlag(BenchSections.Inference) | s.HasFlag(BenchSections.Train) ? new PyTorchSide(options) : null;
        var inference = new List<InferenceResult>();
        var train = new List<TrainStepResult>();
        string? pytorchVersion = null;
        double? pytorchMatmul = null;
        foreach (var arch in options.Archs)
        {
            if (!s.HasFlag(BenchSections.Inference) && !s.HasFlag(BenchSections.Train)) break;
            ct.ThrowIfCancellationRequested();
            var network = new ClipNetworkBench(options, arch);
            Report($"{arch}: weights and inputs");
            network.WriteInputs();
            PyTorchRun? py = null;
            if (pytorch != null)
            {
                Report($"{arch}: PyTorch ({(s.HasFlag(BenchSections.Train) ? "inference and training step" : "inference")})");
                py = pytorch.Run(network, s.HasFlag(BenchSections.Train));
                pytorchVersion = py.Version;
                pytorchMatmul = py.MatmulGflops;
            }
            if (s.HasFlag(BenchSections.Inference))
            {
                Report($"{arch}: VideoFer inference, batches of {string.Join(" and ", options.ClipBatches)} clips, as trained and optimized" +
                    (options.OnnxRuntime ? " and in ONNX Runtime" + (options.Int8 ? " (fp32 and int8)" : "") : "") + " (alternating)");
                foreach (var n in network.Inference())
                {
                    double? vsPyTorch = py != null && py.Outputs.TryGetValue(n.Clips, out var reference) ? ClipNetworkBench.MaxAbsDiff(n.Output, reference) : null;
                    n.Output.Dispose();
                    inference.Add(new InferenceResult(arch, n.Clips, n.Clips * options.ClipLength, n.Optimized, n.Unoptimized,
                        py?.Inference.GetValueOrDefault(n.Clips), n.MaxDiff, vsPyTorch, network.GmacsPerFrame)
                    {
                        OnnxRuntime = n.OnnxRuntime,
                        MaxDiffVsOnnxRuntime = n.MaxDiffOnnxRuntime,
                        OnnxRuntimeInt8 = n.OnnxRuntimeInt8,
                        MaxDiffInt8 = n.MaxDiffInt8,
                    });
                }
            }
            if (s.HasFlag(BenchSections.Train))
            {
                Report($"{arch}: VideoFer training step, {options.TrainClips} clips");
                train.Add(new TrainStepResult(arch, options.TrainClips, options.TrainClips * options.ClipLength, network.TrainStep(), py?.TrainStep));
            }
            if (py != null) foreach (var t in py.Outputs.Values) t.Dispose();
        }

        CeilingResult? ceiling = null;
        if (s.HasFlag(BenchSections.Ceiling))
        {
            Report("matrix product ceiling");
            ceiling = new CeilingResult(4096, Ceiling.MatmulGflops(4096), pytorchMatmul);
        }

        // A part that fails on its input is reported and the others still run: hours of figures are
        // not thrown away for one bad video.
        var errors = new List<string>();
        PredictResult? predict = null;
        if (s.HasFlag(BenchSections.Predict))
        try
        {
            string video = options.Video ?? throw new VideoFerException("the predict section needs a video (--video)");
            var network = new ClipNetworkBench(options, options.PredictArch);
            if (!inference.Any(r => r.Arch == options.PredictArch)) // else its weights are written already
            {
                Report($"{options.PredictArch}: weights");
                network.WriteWeights();
            }
            Report($"predict with {options.PredictArch} on {Path.GetFileName(video)}, alternating with the network alone on as many faces ({options.PredictRepeats} runs each), then the face pipeline alone and the default model");
            predict = PredictBench.Run(video, network.CheckpointPath, options.PredictArch, options.PredictRepeats);
        }
        catch (VideoFerException e) { errors.Add($"predict: {e.Message}"); }

        MemoryResult? memory = null;
        if (s.HasFlag(BenchSections.Memory))
        try
        {
            string video = options.Video ?? throw new VideoFerException("the memory section needs a video (--video)");
            var command = predictCommand ?? throw new InvalidOperationException("the memory section needs a way to start `videofer predict`");
            string longVideo = Path.Combine(options.WorkDirectory, $"long-{options.LongVideoMinutes:0}min-{options.LongVideoFps:0.##}fps.mp4");
            Report($"writing a {options.LongVideoMinutes:0}-minute video at {options.LongVideoFps} frames/s from {Path.GetFileName(video)}");
            LongVideo.Write(video, longVideo, options.LongVideoMinutes, options.LongVideoFps);
            Report($"predict (default model) on {Path.GetFileName(video)}, sampling memory");
            var shortRun = MemoryBench.Run(command, video, Path.Combine(options.WorkDirectory, "predict-short"), DurationOf(video));
            Report($"predict (default model) on {Path.GetFileName(longVideo)}, sampling memory");
            var longRun = MemoryBench.Run(command, longVideo, Path.Combine(options.WorkDirectory, "predict-long"), options.LongVideoMinutes * 60);
            memory = new MemoryResult(shortRun, longRun);
        }
        catch (VideoFerException e) { errors.Add($"memory: {e.Message}"); }

        var cpu = CpuFeatures.Detect();
        var machine = new MachineInfo(cpu.Model, Environment.ProcessorCount, options.EffectiveThreads,
            TorchRuntime.LibTorchVersion, TorchRuntime.TorchSharpVersion, pytorchVersion,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription)
        {
            OnnxRuntime = options.OnnxRuntime && s.HasFlag(BenchSections.Inference) ? OnnxRuntimeSide.Version : null,
            CpuFeatures = cpu,
            Kernels = KernelSelfCheck.Run(),
        };
        return new BenchReport(machine, DateTimeOffset.Now, options.InputSize, options.ClipLength, inference, train, ceiling, predict, memory, errors)
        {
            Int8Quantization = options.OnnxRuntime && options.Int8 && s.HasFlag(BenchSections.Inference) ? options.Quantization.Describe() : null,
        };
    }

    void Report(string message) => Status?.Report(message);

    static double DurationOf(string video)
    {
        using var source = Vision.Video.MediaSource.Open(video);
        return source.Fps > 0 ? source.FrameCount / source.Fps : 0;
    }
}
