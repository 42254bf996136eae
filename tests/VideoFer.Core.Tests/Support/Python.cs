using System.Diagnostics;

namespace VideoFer.Tests.Support;

/// <summary>Runs the system Python (<c>/usr/bin/python3</c>, which has apt's numpy and scikit-learn)
/// as a child process to produce reference results.</summary>
public static class Python
{
    public const string Executable = "/usr/bin/python3";

    /// <summary>Runs a script file with arguments and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "python did not finish in 2 minutes");
        Assert.True(p.ExitCode == 0, $"{Executable} {script} failed with exit {p.ExitCode}:\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Runs inline code (written to a temp file) with arguments.</summary>
    public static string RunCode(string code, params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"videofer-py-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, code);
        try { return Run(file, args); }
        finally { File.Delete(file); }
    }
}
