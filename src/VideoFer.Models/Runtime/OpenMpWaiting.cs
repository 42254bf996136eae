using System.Runtime.InteropServices;

namespace VideoFer.Models.Runtime;

/// <summary>How long libtorch's idle OpenMP threads spin before they sleep. libgomp's default (300,000
/// spins) keeps a core busy between parallel regions; when the face pipeline's thread shares the cores
/// with the network, that spinning takes the time the pipeline needs. A short spin
/// (<see cref="SpinCount"/>) measured the same network-alone speed on 2 cores, and predict with the
/// resnet101-cbam network went from 90% to 92% of the network alone, the default model from 38 to 48
/// frames/s (docs/PERFORMANCE.md).</summary>
public static class OpenMpWaiting
{
    public const string Variable = "GOMP_SPINCOUNT";
    public const int SpinCount = 10_000;

    /// <summary>Sets <see cref="Variable"/> for this process and its children unless the user has chosen
    /// a spin count or a wait policy. libgomp reads it once, when libtorch loads: call this before the
    /// first use of torch (the CLI does it first thing). Returns whether it was set.</summary>
    public static bool UseShortSpin()
    {
        if (!OperatingSystem.IsLinux()) return false; // libgomp: TorchSharp's Linux builds only
        if (Environment.GetEnvironmentVariable(Variable) != null || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != null)
            return false;
        string value = SpinCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // .NET keeps its own copy of the environment (used for child processes, e.g. the PyTorch side
        // of `bench`, so both sides wait alike); native code reads the C library's.
        try
        {
            if (setenv(Variable, value, 0) != 0) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a speed setting: never a reason to fail
        }
        Environment.SetEnvironmentVariable(Variable, value);
        return true;
    }

    /// <summary>The spin count as libgomp reads it (the C library's environment), or null.</summary>
    public static string? Current
    {
        get
        {
            try { return OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(Variable)) : Environment.GetEnvironmentVariable(Variable); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return Environment.GetEnvironmentVariable(Variable); }
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc")]
    static extern IntPtr getenv(string name);
}
