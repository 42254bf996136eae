using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>libtorch at one thread per core for the life of the object, as users run it, whatever OMP_NUM_THREADS the test
/// run set (scripts/test.sh runs every test process at one thread so that parallel test processes do not wait on each
/// other's OpenMP threads): the CPU faults these tests are for appear at two threads on Zen 5.</summary>
sealed class ThreadsAtCores : IDisposable
{
    readonly int _before = get_num_threads();

    public ThreadsAtCores() => set_num_threads(Environment.ProcessorCount);

    public int Threads => get_num_threads();

    public void Dispose() => set_num_threads(_before);
}
