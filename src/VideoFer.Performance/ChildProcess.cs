using System.Diagnostics;
using System.Text.Json;

namespace VideoFer.Performance;

/// <summary>A child program of the benchmark (python for the PyTorch side, `videofer predict` for
/// memory): run to the end with both streams captured; its result is the last line of stdout, JSON.</summary>
static class ChildProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr, double Seconds)
    {
        /// <summary>The JSON object on the last line of stdout (earlier lines may be logging).</summary>
        public JsonDocument Json() => JsonDocument.Parse(StdOut.Trim().Split('\n')[^1]);
    }

    /// <param name="whileRunning">Called with the process id every 100 ms until it exits (e.g. to sample memory).</param>
    public static Result Run(ProcessStartInfo start, Action<int>? whileRunning = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new VideoFerException($"cannot start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        while (!process.WaitForExit(100))
            whileRunning?.Invoke(process.Id);
        process.WaitForExit(); // the streams are complete once this returns
        return new Result(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed.TotalSeconds);
    }
}
