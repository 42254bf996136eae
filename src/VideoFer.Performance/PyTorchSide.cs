using System.Diagnostics;
using System.Text.Json;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>What reference/bench_pytorch.py measured for one architecture.</summary>
sealed record PyTorchRun(string Version, IReadOnlyDictionary<int, Timing> Inference, Timing? TrainStep,
    double MatmulGflops, IReadOnlyDictionary<int, Tensor> Outputs);

/// <summary>Runs the PyTorch side of the benchmark in a child python process.</summary>
sealed class PyTorchSide(BenchOptions options)
{
    public string Script { get; } = options.PyTorchScript ?? FindScript();

    public PyTorchRun Run(ClipNetworkBench network, bool train)
    {
        string outputs = Path.ChangeExtension(network.InputsPath, ".pytorch-out.pth");
        var start = new ProcessStartInfo(options.Python) { WorkingDirectory = Path.GetDirectoryName(Script)! };
        foreach (var a in new[] { Script, network.CheckpointPath, network.InputsPath, outputs,
                     "--threads", options.EffectiveThreads.ToString(), "--warmup", options.Warmup.ToString(),
                     "--repeats", options.Repeats.ToString(), "--train-repeats", (train ? options.TrainRepeats : 0).ToString() })
            start.ArgumentList.Add(a);
        // One libtorch thread pool setting for both sides: nothing from the environment overrides it.
        start.Environment.Remove("OMP_NUM_THREADS");
        start.Environment.Remove("MKL_NUM_THREADS");
        var run = ChildProcess.Run(start);
        if (run.ExitCode != 0)
            throw VideoFerException.InFile(Script, $"failed with exit code {run.ExitCode}: {LastLine(run.StdErr)}");

        using var json = run.Json();
        var root = json.RootElement;
        var inference = root.GetProperty("inference").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name["infer_".Length..]), p => Timing.Of(p.Value.EnumerateArray().Select(v => v.GetDouble()).ToList()));
        Timing? step = root.TryGetProperty("train_step", out var s) ? Timing.Of(s.EnumerateArray().Select(v => v.GetDouble()).ToList()) : null;
        var tensors = StateDictFile.ReadObject(outputs);
        var outputsByClips = tensors.Keys.Cast<string>().ToDictionary(k => int.Parse(k["infer_".Length..]), k => (Tensor)tensors[k]!);
        return new PyTorchRun(root.GetProperty("torch").GetString()!, inference, step, root.GetProperty("matmul_gflops").GetDouble(), outputsByClips);
    }

    static string LastLine(string text) =>
        text.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no message)";

    /// <summary>reference/bench_pytorch.py above the working directory or the program's folder.</summary>
    static string FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "reference", "bench_pytorch.py");
                if (File.Exists(candidate)) return candidate;
            }
        throw new VideoFerException("reference/bench_pytorch.py not found above the working directory; run from the repository or give --pytorch-script (or --no-pytorch)");
    }
}
