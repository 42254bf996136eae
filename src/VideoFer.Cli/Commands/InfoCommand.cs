using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Models.Runtime;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer info`: versions of VideoFer and its native runtimes, threads and devices.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Print VideoFer, TorchSharp/libtorch and OpenCV versions, threads, devices, the CPU, " +
            "and whether this CPU computes each libtorch kernel VideoFer relies on right (float32 against float64, forward and backward).");
        var threads = new Option<int?>("--threads") { Description = "Check the kernels at this many libtorch threads (default: libtorch's, the cores)." };
        command.Options.Add(GlobalOptions.Json);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is int t)
            {
                if (t < 1) throw new VideoFerException($"--threads {t}: expected at least 1");
                TorchSharp.torch.set_num_threads(t);
            }
            var cpu = CpuFeatures.Detect();
            var kernels = KernelSelfCheck.Run();
            var devices = new List<string> { "cpu" };
            for (int i = 0; i < TorchRuntime.CudaDeviceCount; i++) devices.Add($"cuda:{i}");
            var info = new Dictionary<string, object>
            {
                ["videofer"] = typeof(InfoCommand).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                ["torchsharp"] = TorchRuntime.TorchSharpVersion,
                ["libtorch"] = TorchRuntime.LibTorchVersion,
                ["opencv"] = OpenCvSharp.Cv2.GetVersionString(),
                ["threads"] = TorchRuntime.Threads,
                ["openmp_spin_count"] = OpenMpWaiting.Current ?? "libgomp default",
                ["devices"] = devices,
                ["dotnet"] = Environment.Version.ToString(),
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["cpu"] = cpu.Model + (cpu.Family is int f ? $" (family {f}, model {cpu.ModelNumber})" : ""),
                ["cpu_flags"] = cpu.Summary[(cpu.Summary.IndexOf('(') + 1)..^1],
            };
            if (parse.GetValue(GlobalOptions.Json))
            {
                info["cpu_features"] = cpu;
                info["kernels"] = kernels.Select(k => new { kernel = k.Kernel, use = k.Use.ToString().ToLowerInvariant(), right = k.Right,
                    verdict = k.Verdict, relative_error = k.Error, worst_part = k.WorstPart, threads = k.Threads, if_wrong = k.IfWrong }).ToList();
                Console.WriteLine(JsonOutput.Serialize(info));
                return CommandRunner.ExitOk;
            }
            var table = new Table().AddColumn("component").AddColumn("version / value");
            foreach (var (key, value) in info)
                table.AddRow(key, Markup.Escape(value is List<string> l ? string.Join(", ", l) : value.ToString()!));
            AnsiConsole.Write(table);
            int n = TorchSharp.torch.get_num_threads();
            AnsiConsole.WriteLine($"Kernels, float32 at {n} thread{(n == 1 ? "" : "s")} against float64 (forward and backward; wrong above {KernelSelfCheck.Tolerance:0E0} relative):");
            var checks = new Table().AddColumn("kernel").AddColumn("used for").AddColumn(new TableColumn("largest error").RightAligned()).AddColumn("verdict");
            foreach (var k in kernels)
            {
                string colour = k.Right ? "green" : k.Use == KernelUse.Avoided ? "yellow" : "red";
                string error = double.IsFinite(k.Error) ? k.Error.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture) : "not finite";
                checks.AddRow(Markup.Escape(k.Kernel), UseOf(k.Use), $"{error} ({Markup.Escape(k.WorstPart)})", $"[{colour}]{Markup.Escape(k.Verdict)}[/]");
            }
            AnsiConsole.Write(checks);
            foreach (var k in kernels.Where(k => !k.Right))
                AnsiConsole.MarkupLine(Markup.Escape($"{k.Kernel}: {(k.Use == KernelUse.Avoided ? "" : "workaround: ")}{k.IfWrong}."));
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static string UseOf(KernelUse use) => use switch
    {
        KernelUse.Backbone => "every ResNet",
        KernelUse.Cbam => "CBAM networks",
        KernelUse.Clips => "clip models",
        KernelUse.ChannelsLast => "channels_last only",
        KernelUse.TfJsModels => "default model, embedding",
        _ => "not used (avoided)",
    };
}
