using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VideoFer.Vision.Faces.Alignment;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Faces.Tracking;
using VideoFer.Vision.Video;

namespace VideoFer.Vision.Pipeline;

/// <summary>Frames -> detections -> tracks -> aligned crops, one frame at a time. Memory stays bounded by
/// one frame and its crops whatever the video length. Not thread-safe; one pipeline per video at a time.</summary>
public sealed class FacePipeline : IDisposable
{
    readonly IFaceDetector _detector;
    readonly bool _ownsDetector;
    readonly FaceAligner _aligner;

    /// <param name="detector">A detector to use instead of BlazeFace (not disposed by the pipeline).</param>
    public FacePipeline(FacePipelineOptions? options = null, IFaceDetector? detector = null, FaceAligner? aligner = null)
    {
        Options = options ?? new FacePipelineOptions();
        // No crop size is allowed: a consumer that cuts its own face images (predict's default model)
        // then gets detections and tracks without any alignment work.
        if (Options.CropSizes.Any(s => s < 16))
            throw new ArgumentException("crop sizes must be at least 16 pixels", nameof(options));
        _ownsDetector = detector is null;
        _detector = detector ?? (Options.Faces == FaceSource.Whole ? new WholeImageFace() : new BlazeFaceDetector(Options.Detector));
        _aligner = aligner ?? new FaceAligner();
    }

    public FacePipelineOptions Options { get; }

    /// <summary>Streams the faces of every frame of <paramref name="source"/> in order. Each item must be
    /// disposed by the caller. Source errors surface as <see cref="VideoFerException"/> while enumerating.</summary>
    public IEnumerable<FrameFaces> Process(IFrameSource source, CancellationToken cancellationToken = default)
    {
        var tracker = new FaceTracker(Options.Tracker);
        using var cuts = new ShotCutDetector(Options.Tracker.ShotCutThreshold);
        var search = _detector.StartVideo(); // one per video: what it follows belongs to this video
        bool first = true;
        foreach (var frame in source.ReadFrames(cancellationToken))
        {
            FrameFaces result;
            try
            {
                bool cut = cuts.IsCut(frame.Image);
                var detections = search.Next(frame.Image, rescan: cut || first).Faces;
                first = false;
                var tracked = tracker.Update(frame.Index, detections, cut);
                var faces = new List<AlignedFace>(tracked.Count);
                foreach (var t in tracked)
                {
                    var crops = Options.CropSizes.Distinct().ToDictionary(s => s, s => _aligner.Align(frame.Image, t.Detection, s));
                    faces.Add(new AlignedFace(t.TrackId, t.Detection, crops));
                }
                result = new FrameFaces(frame.Index, frame.Time, cut, faces, Options.KeepFrameImage ? frame.Image.Clone() : null);
            }
            finally
            {
                frame.Dispose();
            }
            yield return result;
        }
    }

    /// <summary>Runs <see cref="Process"/> on a background thread, handing frames over through a bounded
    /// queue of <paramref name="capacity"/> frames so decoding and detection overlap with the consumer
    /// (e.g. expression prediction) without running ahead unboundedly.</summary>
    public async IAsyncEnumerable<FrameFaces> ProcessAsync(IFrameSource source, int capacity = 4,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<FrameFaces>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var item in Process(source, stop.Token))
                {
                    try { await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false); }
                    catch { item.Dispose(); throw; }
                }
                channel.Writer.Complete();
            }
            catch (Exception e) { channel.Writer.Complete(e); }
        }, CancellationToken.None);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return item;
        }
        finally
        {
            // The consumer stopped early or failed: stop the producer and free what is still queued.
            stop.Cancel();
            try { await producer.ConfigureAwait(false); } catch (OperationCanceledException) { }
            while (channel.Reader.TryRead(out var left)) left.Dispose();
        }
        await producer.ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsDetector) _detector.Dispose();
    }
}
