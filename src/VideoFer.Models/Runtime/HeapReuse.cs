using System.Runtime.InteropServices;

namespace VideoFer.Models.Runtime;

/// <summary>Keeps glibc's malloc from returning large blocks to the kernel. By default every block over
/// 32 MB is its own mmap, unmapped when freed; libtorch frees and reallocates the activations of
/// every step (hundreds of MB each), so each step faulted and zeroed its memory again. With mmap off
/// and trimming out of reach freed blocks are reused: a resnet50-cbam training step (4 clips of 8
/// frames, 2 cores) went from 9.2-9.8 s to 5.6-6.1 s (docs/PERFORMANCE.md). The price: memory freed
/// after a peak stays with the process until it exits. Fully so on the main thread (where the CLI
/// trains and runs the network); on other threads glibc still maps blocks larger than its 64 MB
/// per-thread heaps.</summary>
public static class HeapReuse
{
    // mallopt parameters (malloc.h) and the matching environment variables, which glibc reads at start.
    const int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4;
    public const string MmapMaxVariable = "MALLOC_MMAP_MAX_", TrimThresholdVariable = "MALLOC_TRIM_THRESHOLD_";

    /// <summary>Applies the settings to this process (any time; later allocations follow them) and puts
    /// them in the environment of its children (the PyTorch side of `bench` gets the same allocator
    /// behaviour), unless the user set either variable or preloads another allocator. Linux/glibc only.
    /// Returns whether it applied them.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Environment.GetEnvironmentVariable(MmapMaxVariable) != null || Environment.GetEnvironmentVariable(TrimThresholdVariable) != null
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LD_PRELOAD")))
            return false;
        try
        {
            if (mallopt(M_MMAP_MAX, 0) != 1 || mallopt(M_TRIM_THRESHOLD, int.MaxValue) != 1) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc: a speed setting is never a reason to fail
        }
        Environment.SetEnvironmentVariable(MmapMaxVariable, "0");
        Environment.SetEnvironmentVariable(TrimThresholdVariable, int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Bytes currently held in mmap'd blocks (glibc's mallinfo2().hblkhd).</summary>
    public static long MappedBytes()
    {
        var info = mallinfo2();
        return (long)info.hblkhd;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc")]
    static extern int mallopt(int param, int value);

    [DllImport("libc")]
    static extern MallInfo2 mallinfo2();
}
