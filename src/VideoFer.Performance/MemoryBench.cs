using System.Diagnostics;

namespace VideoFer.Performance;

/// <summary>Peak resident memory (VmHWM) of `videofer predict` child processes.</summary>
static class MemoryBench
{
    /// <summary>Runs predict on <paramref name="video"/> in a child process built by
    /// <paramref name="predictCommand"/> (given predict's arguments) and samples its peak resident set.</summary>
    public static MemoryRun Run(Func<IReadOnlyList<string>, ProcessStartInfo> predictCommand, string video, string outDir, double durationSeconds)
    {
        long peakKiB = 0;
        // VmHWM is the process's own high-water mark, so sampling it late loses nothing but the very end.
        var run = ChildProcess.Run(predictCommand([video, "--out", outDir, "--json"]),
            pid => peakKiB = Math.Max(peakKiB, ReadPeakKiB(pid)));
        if (run.ExitCode != 0)
        {
            // The whole error output (a native error spans several lines) goes to a file beside the outputs.
            string log = outDir.TrimEnd(Path.DirectorySeparatorChar) + ".stderr.txt";
            File.WriteAllText(log, run.StdErr);
            string first = run.StdErr.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no message)";
            throw new VideoFerException($"predict on {video} failed (exit {run.ExitCode}): {first} (full error output: {log})");
        }
        using var summary = run.Json();
        int frames = summary.RootElement.GetProperty("frames").GetInt32();
        return new MemoryRun(video, durationSeconds, frames, peakKiB / 1024.0, run.Seconds);
    }

    static long ReadPeakKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException) { } // exited between the check and the read
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
