using System.Diagnostics;
using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Identity;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;

namespace VideoFer.Inference;

/// <summary>The predict pipeline: frames -> faces (detection, tracking, alignment) -> expression per
/// face and frame -> temporal smoothing. Memory holds a few frames and a few numbers per face.
/// Decoding, detection, tracking and alignment run on a background thread, a few frames ahead of the
/// expression model, so the two overlap. By default the tracks are then linked into people
/// (<see cref="PeopleFinder"/>); <see cref="PeopleOptions.Enabled"/> false gives tracks only.</summary>
public sealed class VideoPredictor(IExpressionPredictor predictor, FacePipelineOptions? faceOptions = null, PeopleOptions? peopleOptions = null) : IDisposable
{
    // Kept across Run calls: a corpus loads the face detector and the identity embedding once, not once per input.
    FacePipeline? _pipeline;
    FaceEmbeddingModel? _embedding;

    /// <summary>Frames the face pipeline may run ahead: enough to cover one clip of the clip model.</summary>
    public const int PipelineDepth = 8;

    public VideoPrediction Run(string path, int smoothingRadius = TemporalSmoothing.DefaultRadius,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        TemporalSmoothing.CheckRadius(smoothingRadius); // before the work, not after it
        var people = (peopleOptions ?? new PeopleOptions()).Check();
        using var source = MediaSource.Open(path);
        var faces = faceOptions ?? new FacePipelineOptions();
        if (people.Enabled) _embedding ??= FaceEmbeddingModel.Load();
        using var finder = people.Enabled ? new PeopleFinder(people, _embedding, faces.Tracker) : null;
        var options = faces with
        {
            CropSizes = predictor.CropSizes,
            KeepFrameImage = predictor.NeedsFrameImage || finder != null,
        };
        var pipeline = _pipeline ??= new FacePipeline(options);
        var records = new List<PredictionRecord>();
        var clock = Stopwatch.StartNew();
        int frames = 0;
        var cuts = new List<int>();
        try
        {
            foreach (var frame in pipeline.ProcessAsync(source, PipelineDepth, ct).ToBlockingEnumerable(ct))
            {
                using (frame)
                {
                    finder?.EndTracks(frame);
                    records.AddRange(predictor.Add(frame));
                    finder?.Observe(frame);
                    if (frame.ShotCut) cuts.Add(frame.Index);
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
        IReadOnlyList<PredictionRecord> smoothed = TemporalSmoothing.Apply(ordered, smoothingRadius);
        var found = PeopleResult.None;
        if (finder != null) (found, smoothed) = finder.Finish(smoothed, frames);
        return new VideoPrediction(source.Path, source.Stem, frames, source.Fps, source.Width, source.Height,
            smoothed, predictor.Description, clock.Elapsed.TotalSeconds, predictor.ClassNames)
        {
            People = found,
            PeopleLinked = finder != null,
            ShotCuts = cuts,
            HasValenceArousal = predictor.HasValenceArousal,
            ActionUnitNames = predictor.ActionUnitNames,
        };
    }

    public void Dispose()
    {
        _pipeline?.Dispose();
        _embedding?.Dispose();
    }
}
