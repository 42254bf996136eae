using TorchSharp;
using static TorchSharp.torch;

namespace VideoFer.Models.Runtime;

/// <summary>What the torch runtime offers on this machine, and device selection.</summary>
public static class TorchRuntime
{
    /// <summary>TorchSharp's own assembly version.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The libtorch version TorchSharp is bound to (loads the native library).</summary>
    public static string LibTorchVersion => torch.__version__;

    public static int Threads => torch.get_num_threads();

    public static bool CudaAvailable => torch.cuda.is_available();

    public static int CudaDeviceCount => CudaAvailable ? torch.cuda.device_count() : 0;

    /// <summary>Resolves "cpu", "cuda", "cuda:N" or "auto" to a device, with a clear error when unavailable.</summary>
    public static Device ResolveDevice(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        if (n == "auto") return CudaAvailable ? CUDA : CPU;
        if (n == "cpu") return CPU;
        if (n.StartsWith("cuda"))
        {
            if (!CudaAvailable)
                throw new VideoFerException(
                    $"device '{name}' requested but CUDA is not available: this build uses TorchSharp-cpu " +
                    "(see the README, 'GPU', for building with the CUDA runtime).");
            return torch.device(n);
        }
        throw new VideoFerException($"unknown device '{name}': expected cpu, cuda, cuda:N or auto.");
    }
}
