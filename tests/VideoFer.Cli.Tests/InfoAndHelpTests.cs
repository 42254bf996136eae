using System.Text.Json;

namespace VideoFer.Cli.Tests;

public class InfoAndHelpTests
{
    [Fact]
    public void InfoReportsVersionsThreadsAndDevices()
    {
        // As users run it: scripts/test.sh sets OMP_NUM_THREADS=1 for the test processes, users do not.
        var r = CliProcess.RunWith(new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = null }, "info", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var root = json.RootElement;
        Assert.Equal("0.107.0", root.GetProperty("torchsharp").GetString());
        Assert.StartsWith("2.10", root.GetProperty("libtorch").GetString());
        Assert.StartsWith("4.13", root.GetProperty("opencv").GetString());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("threads").GetInt32());
        Assert.Contains("cpu", root.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("cpu").GetString()));
        // A verdict for every kernel of the self-check, at the threads asked for; the ones VideoFer relies on are right here.
        var kernels = root.GetProperty("kernels").EnumerateArray().ToList();
        Assert.Equal(Models.Runtime.KernelSelfCheck.All.Count, kernels.Count);
        foreach (var k in kernels)
        {
            Assert.Equal(Environment.ProcessorCount, k.GetProperty("threads").GetInt32());
            if (k.GetProperty("use").GetString() != "avoided")
                Assert.True(k.GetProperty("right").GetBoolean(), k.ToString());
        }
    }

    [Fact]
    public void InfoChecksTheKernelsAtTheThreadsAskedForAndPrintsAVerdictPerKernel()
    {
        var r = CliProcess.Run("info", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        string text = System.Text.RegularExpressions.Regex.Replace(r.StdOut, @"\s+", " ");
        Assert.Contains("float32 at 1 thread against float64", text);
        Assert.Contains("CBAM block", text);
        Assert.Contains("cpu_flags", text);
        var bad = CliProcess.Run("info", "--threads", "0");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--threads 0: expected at least 1", bad.StdErr);
    }

    /// <summary>The CLI shortens libgomp's spin before libtorch loads, as libtorch's OpenMP runtime
    /// sees it (the C library's environment), unless the user chose a spin count or a wait policy.</summary>
    [Fact]
    public void The_OpenMP_spin_is_short_unless_the_user_set_one()
    {
        string SpinCount(Dictionary<string, string?> environment)
        {
            var r = CliProcess.RunWith(environment, "info", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            using var json = JsonDocument.Parse(r.StdOut);
            return json.RootElement.GetProperty("openmp_spin_count").GetString()!;
        }
        Assert.Equal("10000", SpinCount(new() { ["GOMP_SPINCOUNT"] = null, ["OMP_WAIT_POLICY"] = null }));
        Assert.Equal("250", SpinCount(new() { ["GOMP_SPINCOUNT"] = "250", ["OMP_WAIT_POLICY"] = null }));
        Assert.Equal("libgomp default", SpinCount(new() { ["GOMP_SPINCOUNT"] = null, ["OMP_WAIT_POLICY"] = "ACTIVE" }));
    }

    /// <summary>Every command and subcommand answers --help with its usage and exit code 0.</summary>
    [Fact]
    public void EveryCommandHasHelp()
    {
        var root = CliProcess.Run("--help");
        Assert.Equal(0, root.ExitCode);
        var commands = CommandsListed(root.StdOut);
        Assert.Contains("info", commands);
        Assert.Contains("model", commands);
        foreach (var command in commands)
        {
            var help = CliProcess.Run(command, "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("Usage:", help.StdOut);
            foreach (var sub in CommandsListed(help.StdOut))
            {
                var subHelp = CliProcess.Run(command, sub, "--help");
                Assert.True(subHelp.ExitCode == 0, subHelp.ToString());
                Assert.Contains($"{command} {sub}", subHelp.StdOut);
            }
        }
    }

    static List<string> CommandsListed(string help)
    {
        var lines = help.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd() == "Commands:");
        if (start < 0) return [];
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  "))
            .Select(l => l.Trim().Split(' ')[0]).Where(w => w.Length > 0).ToList();
    }
}
