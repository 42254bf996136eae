using System.Diagnostics;

namespace VideoFer.Models.Tests;

/// <summary>Locates the repository and runs the PyTorch reference scripts (apt's python3-torch).</summary>
public static class Reference
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs a script in reference/ and fails the test with its output if it fails.</summary>
    public static string RunScript(string script, params string[] args) =>
        RunProcess(Python, Path.Combine(Repo.Root, "reference"), script,
            [Path.Combine(Repo.Root, "reference", script), .. args]);

    /// <summary>Runs a reference program to completion; its output, or an exception with all of it.</summary>
    public static string RunProcess(string fileName, string workingDirectory, string label, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{label} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}

/// <summary>Generates the parity fixtures once per machine (tests/fixtures/generated/parity, gitignored),
/// under a file lock so parallel test processes do not race.</summary>
public sealed class ParityFixtures
{
    public string Dir { get; }

    public ParityFixtures()
    {
        Dir = Path.Combine(Repo.Root, "tests", "fixtures", "generated", "parity");
        Directory.CreateDirectory(Path.GetDirectoryName(Dir)!);
        using var lockFile = AcquireLock(Dir + ".lock");
        string marker = Path.Combine(Dir, "COMPLETE");
        var scripts = new[] { "make_parity_fixtures.py", "videofer_reference.py" }
            .Select(s => File.GetLastWriteTimeUtc(Path.Combine(Repo.Root, "reference", s))).Max();
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= scripts) return;
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        Reference.RunScript("make_parity_fixtures.py", Dir);
    }

    public string File_(string name) => Path.Combine(Dir, name);

    static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(500); }
        }
    }
}

[CollectionDefinition("parity")]
public sealed class ParityCollection : ICollectionFixture<ParityFixtures> { }
