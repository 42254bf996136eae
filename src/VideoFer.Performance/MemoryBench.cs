using System.Diagnostics;
using System.Text.Json;

namespace VideoFer.Performance;

/// <summary>Peak resident memory (VmHWM) of `videofer predict` child processes.</summary>
static class MemoryBench
{
    /// <summary>Runs predict on <paramref name="video"/> in a child process built by
    /// <paramref name="predictCommand"/> (given predict's arguments) and samples its peak resident set.</summary>
    public static MemoryRun Run(Func<IReadOnlyList<string>, ProcessStartInfo> predictCommand, string video, string outDir, double durationSeconds)
    {
        var start = predictCommand([video, "--out", outDir, "--json"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new VideoFerException($"cannot start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peakKiB = 0;
        // VmHWM is the process's own high-water mark, so sampling it late loses nothing but the very end.
        while (!process.WaitForExit(100))
            peakKiB = Math.Max(peakKiB, ReadPeakKiB(process.Id));
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            // The whole error output (a native error spans several lines) goes to a file beside the outputs.
            string log = outDir.TrimEnd(Path.DirectorySeparatorChar) + ".stderr.txt";
            File.WriteAllText(log, stderr.Result);
            string first = stderr.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no message)";
            throw new VideoFerException($"predict on {video} failed (exit {process.ExitCode}): {first} (full error output: {log})");
        }
        using var summary = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]);
        int frames = summary.RootElement.GetProperty("frames").GetInt32();
        return new MemoryRun(video, durationSeconds, frames, peakKiB / 1024.0, seconds);
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
