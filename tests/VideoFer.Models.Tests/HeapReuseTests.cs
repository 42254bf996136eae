using VideoFer.Models.Runtime;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

public class HeapReuseTests
{
    /// <summary>glibc maps every block over 32 MB on its own and unmaps it when freed; after
    /// <see cref="HeapReuse.Apply"/> a 48 MB tensor comes from the heap instead (no mapped bytes added).
    /// On a thread other than the main one glibc still maps blocks over its 64 MB per-thread heaps, so
    /// the test stays under that; other tests running meanwhile cannot map blocks this small either.</summary>
    [Fact]
    public void After_Apply_a_large_tensor_comes_from_the_heap_not_from_its_own_mapping()
    {
        Assert.True(HeapReuse.Apply() || Environment.GetEnvironmentVariable(HeapReuse.MmapMaxVariable) == "0");
        long before = HeapReuse.MappedBytes();
        using var big = empty(12L * 1024 * 1024); // 48 MB of float32
        big.fill_(1f);
        long added = HeapReuse.MappedBytes() - before;
        Assert.True(added < 16L * 1024 * 1024, $"{added / (1024 * 1024)} MB mapped for the tensor");
    }
}
