using System.Diagnostics;

namespace VideoFer.Models.Tests;

/// <summary>Reads version-need flags with binutils' readelf: an independent check of the build's ELF patch.</summary>
static class ElfVersionNeeds
{
    public static bool IsWeak(string library, string version)
    {
        var psi = new ProcessStartInfo("readelf", ["-V", "-W", library]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').Single(l => l.Contains("Name: " + version + " "));
        return line.Contains("Flags: WEAK");
    }
}
