using System.Threading.Channels;

namespace VideoFer.Data.Batching;

/// <summary>Builds batches on background threads, ahead of the consumer, and hands them out in order.
/// <para>A producer walks the batch specifications and starts one build task per batch (at most
/// <see cref="BatchLoaderOptions.Workers"/> running at once), putting each task into a bounded channel
/// in order; the consumer takes tasks from the channel and waits for each. Order therefore does not
/// depend on thread timing, and the bounded channel stops the producer from running ahead.</para>
/// <para>The consumer owns (and must dispose) each batch it receives. When enumeration ends early,
/// is cancelled, or a build fails, the loader stops producing and disposes every batch built but not
/// handed out.</para></summary>
public sealed class BatchLoader<TSpec, TBatch> : IDisposable where TBatch : IDisposable
{
    readonly IEnumerable<TSpec> _specs;
    readonly Func<TSpec, long, TBatch> _build;
    readonly BatchLoaderOptions _options;
    readonly CancellationTokenSource _stop = new();
    int _started;

    /// <param name="specs">What each batch holds (e.g. a list of clips), enumerated lazily on a background thread.</param>
    /// <param name="build">Builds a batch from its specification and 0-based batch index; called on worker threads.</param>
    public BatchLoader(IEnumerable<TSpec> specs, Func<TSpec, long, TBatch> build, BatchLoaderOptions? options = null)
    {
        _specs = specs;
        _build = build;
        _options = (options ?? new BatchLoaderOptions()).Validated();
    }

    /// <summary>The batches in specification order. Can be enumerated once. Cancelling
    /// <paramref name="ct"/> (or disposing the loader) ends it with <see cref="OperationCanceledException"/>.</summary>
    public IEnumerable<TBatch> Batches(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("A batch loader can be enumerated only once.");
        return Run(ct);
    }

    IEnumerable<TBatch> Run(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        var queue = Channel.CreateBounded<Task<TBatch>>(new BoundedChannelOptions(_options.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var running = new SemaphoreSlim(_options.Workers);
        var producer = Task.Run(() => Produce(queue.Writer, running, token), CancellationToken.None);
        Task<TBatch>? taken = null; // taken from the queue, not yet handed out
        try
        {
            while (true)
            {
                try
                {
                    if (!queue.Reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
                        break;
                    if (!queue.Reader.TryRead(out taken)) continue;
                }
                catch (ChannelClosedException e) when (e.InnerException != null)
                {
                    throw e.InnerException; // the specification enumerator failed
                }
                // Waits for this batch; rethrows its build error if it failed.
                var batch = taken.WaitAsync(token).GetAwaiter().GetResult();
                taken = null;
                yield return batch;
            }
            // Surface a failure of the specification enumerator after the last good batch.
            if (queue.Reader.Completion.IsFaulted)
                queue.Reader.Completion.GetAwaiter().GetResult();
        }
        finally
        {
            linked.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
            if (taken != null) DisposeWhenDone(taken);
            // Every batch still queued was built (or is being built) for nobody: dispose it.
            while (queue.Reader.TryRead(out var orphan))
                DisposeWhenDone(orphan);
        }
    }

    async Task Produce(ChannelWriter<Task<TBatch>> writer, SemaphoreSlim running, CancellationToken token)
    {
        Exception? error = null;
        try
        {
            long index = 0;
            foreach (var spec in _specs)
            {
                await running.WaitAsync(token).ConfigureAwait(false);
                long i = index++;
                var build = Task.Run(() =>
                {
                    try { return _build(spec, i); }
                    finally { running.Release(); }
                }, CancellationToken.None);
                try
                {
                    await writer.WriteAsync(build, token).ConfigureAwait(false);
                }
                catch
                {
                    DisposeWhenDone(build); // started but never queued
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
        catch (Exception e) { error = e; }
        finally
        {
            writer.TryComplete(error);
        }
    }

    static void DisposeWhenDone(Task<TBatch> task)
    {
        try { task.GetAwaiter().GetResult().Dispose(); }
        catch (Exception) { /* a failed build has nothing to dispose */ }
    }

    /// <summary>Stops a running enumeration (it ends with <see cref="OperationCanceledException"/>).</summary>
    public void Dispose() => _stop.Cancel();
}
