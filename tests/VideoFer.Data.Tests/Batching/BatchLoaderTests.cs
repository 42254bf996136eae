using VideoFer.Data.Batching;
using VideoFer.Data.Images;
using VideoFer.Data.Tests.Images;
using VideoFer.Datasets;

namespace VideoFer.Data.Tests.Batching;

public class BatchLoaderTests
{
    /// <summary>A batch that records its creation and disposal.</summary>
    sealed class Probe(long index, Counters counters) : IDisposable
    {
        public long Index { get; } = index;
        int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Increment(ref counters.Disposed);
        }
    }

    sealed class Counters
    {
        public int Built, Disposed, Running, MaxRunning;
    }

    static Func<int, long, Probe> Builder(Counters c, int delayMs = 2) => (spec, index) =>
    {
        int running = Interlocked.Increment(ref c.Running);
        int seen;
        while ((seen = c.MaxRunning) < running && Interlocked.CompareExchange(ref c.MaxRunning, running, seen) != seen) { }
        Thread.Sleep(delayMs);
        Assert.Equal(spec, (int)index);
        Interlocked.Decrement(ref c.Running);
        Interlocked.Increment(ref c.Built);
        return new Probe(index, c);
    };

    [Fact]
    public void YieldsEveryBatchInOrderWithBoundedLookAhead()
    {
        var c = new Counters();
        var options = new BatchLoaderOptions { Workers = 3, Capacity = 2 };
        using var loader = new BatchLoader<int, Probe>(Enumerable.Range(0, 60), Builder(c), options);
        var seen = new List<long>();
        int maxAhead = 0, consumed = 0;
        foreach (var batch in loader.Batches())
        {
            using (batch)
            {
                seen.Add(batch.Index);
                Thread.Sleep(5); // a slow consumer: the loader must wait, not pile up batches
                maxAhead = Math.Max(maxAhead, Volatile.Read(ref c.Built) - consumed);
                consumed++;
            }
        }
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), seen);
        // Capacity queued, plus one waiting to be queued, plus the one in the consumer's hands.
        Assert.InRange(maxAhead, 1, options.Capacity + 2);
        Assert.True(maxAhead >= options.Capacity, $"look-ahead {maxAhead}: the loader did not work ahead");
        Assert.InRange(c.MaxRunning, 1, options.Workers);
        Assert.Equal(60, c.Disposed);
    }

    [Fact]
    public void CancellationStopsProductionAndDisposesUndeliveredBatches()
    {
        var c = new Counters();
        using var cts = new CancellationTokenSource();
        using var loader = new BatchLoader<int, Probe>(Enumerable.Range(0, 10_000), Builder(c), new BatchLoaderOptions { Workers = 2, Capacity = 3 });
        int consumed = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Batches(cts.Token))
            {
                batch.Dispose();
                if (++consumed == 5) cts.Cancel();
            }
        });
        Assert.Equal(5, consumed);
        Thread.Sleep(50);
        int built = c.Built;
        Assert.True(built < 20, $"{built} batches built after cancelling at 5");
        Assert.Equal(built, c.Disposed); // nothing leaked
        Thread.Sleep(50);
        Assert.Equal(built, c.Built); // and production has stopped
    }

    [Fact]
    public void BreakingOutEarlyAlsoDisposesWhatWasPrepared()
    {
        var c = new Counters();
        using var loader = new BatchLoader<int, Probe>(Enumerable.Range(0, 1000), Builder(c, delayMs: 0), new BatchLoaderOptions { Workers = 2, Capacity = 4 });
        foreach (var batch in loader.Batches())
        {
            batch.Dispose();
            if (batch.Index == 2) break;
        }
        Assert.Equal(c.Built, c.Disposed);
        Assert.True(c.Built < 20);
    }

    [Fact]
    public void ABuildErrorReachesTheConsumer()
    {
        var c = new Counters();
        var inner = Builder(c, 0);
        using var loader = new BatchLoader<int, Probe>(Enumerable.Range(0, 100),
            (spec, index) => spec == 7 ? throw new InvalidDataException("bad batch 7") : inner(spec, index));
        int consumed = 0;
        var e = Assert.Throws<InvalidDataException>(() => { foreach (var b in loader.Batches()) { b.Dispose(); consumed++; } });
        Assert.Equal("bad batch 7", e.Message);
        Assert.Equal(7, consumed);
        Assert.Equal(c.Built, c.Disposed);
    }

    [Fact]
    public void ASpecificationErrorReachesTheConsumerAfterTheGoodBatches()
    {
        static IEnumerable<int> Specs()
        {
            for (int i = 0; i < 3; i++) yield return i;
            throw new FormatException("spec 3 is broken");
        }
        var c = new Counters();
        using var loader = new BatchLoader<int, Probe>(Specs(), Builder(c, 0));
        var got = new List<long>();
        var e = Assert.Throws<FormatException>(() => { foreach (var b in loader.Batches()) using (b) got.Add(b.Index); });
        Assert.Equal("spec 3 is broken", e.Message);
        Assert.Equal(new long[] { 0, 1, 2 }, got);
    }

    [Fact]
    public void CanBeEnumeratedOnlyOnce()
    {
        using var loader = new BatchLoader<int, Probe>([], Builder(new Counters()));
        Assert.Empty(loader.Batches());
        Assert.Throws<InvalidOperationException>(() => loader.Batches());
    }

    [Fact]
    public void LoadsRealClipBatchesOnBackgroundThreads()
    {
        using var dir = new TempDir();
        var paths = Enumerable.Range(0, 6).Select(i => { var p = dir.Combine($"{i}.png"); TestImages.WriteRandom(p, 72, (ulong)i); return p; }).ToArray();
        var clips = Enumerable.Range(0, 10).Select(k => new Clip($"v{k}", 1,
            Enumerable.Range(0, 4).Select(t => new ClipFrame(t + 1, paths[(k + t) % 6], (k + t) % 7, true)).ToArray())).ToArray();
        var builder = new ClipBatchBuilder(new ImagePipelineOptions { BaseSize = 72, CropSize = 64 });
        // As the trainer loads them: augmentation seeded by (seed, batch index, item).
        BatchLoader<IReadOnlyList<Clip>, ClipBatch> Loader(int workers) => new(clips.Chunk(3).Select(b => (IReadOnlyList<Clip>)b),
            (batch, index) => builder.Build(batch, PipelineMode.Training, 3, index), new BatchLoaderOptions { Workers = workers, Capacity = workers });
        using var loader = Loader(2);
        var sizes = new List<long>();
        var firstRun = new List<float>();
        foreach (var batch in loader.Batches())
            using (batch)
            {
                sizes.Add(batch.Frames.shape[0]);
                firstRun.Add(batch.Frames.sum().item<float>());
            }
        Assert.Equal(new long[] { 3, 3, 3, 1 }, sizes);

        // Same seed, different worker count: same batches.
        using var again = Loader(1);
        var secondRun = again.Batches().Select(b => { using (b) return b.Frames.sum().item<float>(); }).ToList();
        Assert.Equal(firstRun, secondRun);
    }
}
