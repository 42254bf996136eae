using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Models.Runtime;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer info`: versions of VideoFer and its native runtimes, threads and devices.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Print VideoFer, TorchSharp/libtorch and OpenCV versions, threads and available devices.");
        command.Options.Add(GlobalOptions.Json);
        command.SetAction(parse =>
        {
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
            };
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(info));
                return CommandRunner.ExitOk;
            }
            var table = new Table().AddColumn("component").AddColumn("version / value");
            foreach (var (key, value) in info)
                table.AddRow(key, Markup.Escape(value is List<string> l ? string.Join(", ", l) : value.ToString()!));
            AnsiConsole.Write(table);
            return CommandRunner.ExitOk;
        });
        return command;
    }
}
