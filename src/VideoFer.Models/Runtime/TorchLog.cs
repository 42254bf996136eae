using System.Runtime.InteropServices;

namespace VideoFer.Models.Runtime;

/// <summary>libtorch's C++ log level. On CPUs NNPACK does not support (e.g. AMD Zen 5), libtorch logs
/// "Could not initialize NNPACK! Reason: Unsupported hardware." at every NCHW convolution: thousands of
/// lines for one video, burying VideoFer's own messages. libtorch reads <c>TORCH_CPP_LOG_LEVEL</c> only
/// when <c>c10::initLogging()</c> runs, which TorchSharp never calls, so VideoFer calls it.</summary>
public static class TorchLog
{
    public const string Variable = "TORCH_CPP_LOG_LEVEL";

    /// <summary>Shows libtorch's errors only, unless the user chose a level in <see cref="Variable"/>
    /// (then that level applies). Returns whether libtorch's logging was initialised.</summary>
    public static bool ErrorsOnly()
    {
        if (!OperatingSystem.IsLinux()) return false; // the libc and libc10.so names below are Linux's
        try
        {
            // .NET keeps its own copy of the environment; c10 reads the C library's.
            setenv(Variable, Environment.GetEnvironmentVariable(Variable) ?? "ERROR", 1);
            initLogging();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // quieter logs: never a reason to fail
        }
    }

    [DllImport("libc")]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("c10", EntryPoint = "_ZN3c1011initLoggingEv")]
    static extern void initLogging();
}
