using System.Diagnostics;

namespace VideoFer.Cli.Tests;

/// <summary>Runs the real `videofer` binary (built next to the tests) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "videofer.dll");

    public static Result Run(params string[] args) => RunIn(null, args);

    public static Result RunIn(string? workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>With environment variables set (a null value removes one).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args) => Start(null, environment, args);

    static Result Start(string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("videofer " + string.Join(' ', args) + " did not finish in 10 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
