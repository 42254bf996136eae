using System.Diagnostics;
using VideoFer.Inference.Predictors;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;

namespace VideoFer.Inference;

/// <summary>The predict pipeline: frames -> faces (detection, tracking, alignment) -> expression per
/// face and frame -> temporal smoothing. Memory holds a few frames and a few numbers per face.
/// Decoding, detection, tracking and alignment run on a background thread, a few frames ahead of the
/// expression model, so the two overlap.</summary>
public sealed class VideoPredictor(IExpressionPredictor predictor, FacePipelineOptions? faceOptions = null) : IDisposable
{
    // Kept across Run calls: a corpus loads the face detector once, not once per input.
    FacePipeline? _pipeline;

    /// <summary>Frames the face pipeline may run ahead: enough to cover one clip of the clip model.</summary>
    public const int PipelineDepth = 8;

    public VideoPrediction Run(string path, int smoothingRadius = TemporalSmoothing.DefaultRadius,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        TemporalSmoothing.CheckRadius(smoothingRadius); // before the work, not after it
        using var source = MediaSource.Open(path);
        var options = (faceOptions ?? new FacePipelineOptions()) with
        {
            CropSizes = predictor.CropSizes,
            KeepFrameImage = predictor.NeedsFrameImage,
        };
        var pipeline = _pipeline ??= new FacePipeline(options);
        var records = new List<PredictionRecord>();
        var clock = Stopwatch.StartNew();
        int frames = 0;
        try
        {
            foreach (var frame in pipeline.ProcessAsync(source, PipelineDepth, ct).ToBlockingEnumerable(ct))
            {
                using (frame)
                {
                    records.AddRange(predictor.Add(frame));
                    frames = frame.Index;
                }
                progress?.Report((frames, Math.Max(frames, source.FrameCount)));
            }
        }
        catch
        {
            // A video that fails half-way must not leave faces waiting in the predictor (the clip model
            // holds up to a clip per track): the next video of a corpus would get them.
            try { predictor.Finish(); } catch (Exception) { }
            throw;
        }
        records.AddRange(predictor.Finish());
        var ordered = records.OrderBy(r => r.Frame).ThenBy(r => r.Track).ToList();
        var smoothed = TemporalSmoothing.Apply(ordered, smoothingRadius);
        return new VideoPrediction(source.Path, source.Stem, frames, source.Fps, source.Width, source.Height,
            smoothed, predictor.Description, clock.Elapsed.TotalSeconds, predictor.ClassNames);
    }

    public void Dispose() => _pipeline?.Dispose();
}
