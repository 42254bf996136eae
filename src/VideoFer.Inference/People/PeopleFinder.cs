using System.Collections.Concurrent;
using System.Diagnostics;
using VideoFer.Models.Identity;
using VideoFer.Vision.Faces.Tracking;
using VideoFer.Vision.Pipeline;

namespace VideoFer.Inference.People;

/// <summary>Finds the people of a video from its face tracks: while frames stream it keeps the best faces of each
/// track (<see cref="TrackSampler"/>) and embeds them (<see cref="FaceEmbeddingModel"/>, a few faces per track, never
/// every frame) on a thread of its own as soon as the track has ended, so that the embedding overlaps the face
/// pipeline (which keeps one core busy) instead of adding to the run; at the end it averages them into one descriptor
/// per track and links the tracks (<see cref="PeopleLinker"/>). Every record then carries its person id.</summary>
public sealed class PeopleFinder : IDisposable
{
    /// <summary>Faces embedded per forward pass.</summary>
    const int Batch = 8; // below 16, where libtorch tries NNPACK (unsupported on this CPU: one warning per call)

    readonly PeopleOptions _options;
    readonly TrackSampler _sampler;
    readonly FaceEmbeddingModel _model;
    readonly bool _ownsModel;
    readonly Stopwatch _observing = new();
    readonly int _maxGap;
    // Ended tracks wait here for the embedding thread; their descriptors (or its failure) come back.
    readonly BlockingCollection<TrackFaces> _toEmbed = new();
    readonly ConcurrentDictionary<int, float[][]> _embedded = new();
    readonly Task _embedder;
    double _embeddingSeconds;

    /// <param name="model">An embedding to use instead of the default (not disposed by the finder).</param>
    /// <param name="tracker">The face tracker's settings: when a track can no longer continue.</param>
    public PeopleFinder(PeopleOptions? options = null, FaceEmbeddingModel? model = null, TrackerOptions? tracker = null)
    {
        _options = (options ?? new PeopleOptions()).Check();
        _sampler = new TrackSampler(_options);
        _maxGap = (tracker ?? new TrackerOptions()).MaxGap;
        _ownsModel = model is null;
        _model = model ?? FaceEmbeddingModel.Load();
        _embedder = Task.Factory.StartNew(EmbedEndedTracks, TaskCreationOptions.LongRunning);
    }

    void EmbedEndedTracks()
    {
        foreach (var track in _toEmbed.GetConsumingEnumerable())
        {
            long start = Stopwatch.GetTimestamp();
            _embedded[track.Track] = Embed(track.Samples.Select(s => s.Crop).ToList());
            track.KeepOnlyTheBestCrop();
            _embeddingSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    float[][] Embed(IReadOnlyList<VideoFer.Models.Expressions.FaceCrop> crops)
    {
        var result = new List<float[]>(crops.Count);
        for (int i = 0; i < crops.Count; i += Batch)
            result.AddRange(_model.Embed(crops.Skip(i).Take(Batch).ToList()));
        return result.ToArray();
    }

    public string Description => $"{_model.Spec.Name} ({Path.GetFileName(_model.Path)}, {_model.Dimensions}-d descriptor)";

    /// <summary>Looks at the faces of one frame; the frame's image must have been kept by the pipeline.</summary>
    public void Observe(FrameFaces frame)
    {
        if (frame.Faces.Count == 0) return;
        var image = frame.Image ?? throw new InvalidOperationException("linking people needs the frame image (FacePipelineOptions.KeepFrameImage)");
        _observing.Start();
        foreach (var face in frame.Faces)
            _sampler.Offer(frame.Index, face.TrackId, face.Detection, image);
        _observing.Stop();
    }

    /// <summary>Hands the tracks that ended by frame <paramref name="frame"/> (a shot cut, or unseen for longer than the
    /// tracker waits) to the embedding thread. Call once per frame, before <see cref="Observe"/>.</summary>
    public void EndTracks(FrameFaces frame)
    {
        foreach (var t in _sampler.CloseFinished(frame.Index, frame.ShotCut, _maxGap))
            _toEmbed.Add(t);
    }

    /// <summary>Embeds the kept faces, links the tracks and returns the people with <paramref name="records"/>
    /// labelled by person (the records of people left out by --max-people or --min-person-frames are dropped).</summary>
    /// <param name="videoFrames">Frames of the input: --min-person-frames never asks for more.</param>
    public (PeopleResult People, IReadOnlyList<PredictionRecord> Records) Finish(IReadOnlyList<PredictionRecord> records, int videoFrames)
    {
        var clock = Stopwatch.StartNew();
        var tracks = _sampler.Tracks;
        foreach (var t in tracks.Where(t => !t.Closed))
        {
            t.Closed = true;
            _toEmbed.Add(t);
        }
        _toEmbed.CompleteAdding();
        _embedder.GetAwaiter().GetResult(); // rethrows what the embedding thread met
        double waited = clock.Elapsed.TotalSeconds;
        var byTrack = tracks
            .SelectMany(t => t.Samples.Select((s, i) => (t.Track, Sample: s, Embedding: _embedded[t.Track][i])))
            .ToLookup(x => x.Track);
        int embeddedFaces = byTrack.Sum(g => g.Count());

        var linkable = new List<LinkableTrack>();
        var descriptors = new Dictionary<int, float[]?>();
        foreach (var t in tracks)
        {
            var good = byTrack[t.Track].Where(x => x.Sample.Good).Select(x => x.Embedding).ToList();
            float[]? descriptor = good.Count >= _options.MinLinkSamples ? PeopleLinker.MeanDescriptor(good) : null;
            descriptors[t.Track] = descriptor;
            linkable.Add(new LinkableTrack(t.Track, t.FirstFrame, t.LastFrame, descriptor));
        }
        var links = PeopleLinker.Link(linkable, _options.LinkThreshold);

        // Frames and times per track from the records: what the outputs show.
        var recordsByTrack = records.ToLookup(r => r.Track);
        var groups = links.Groups
            .Select(g => (Tracks: g, Records: g.SelectMany(t => recordsByTrack[t]).ToList()))
            .Where(g => g.Records.Count > 0)
            .ToList();
        var kept = groups
            .Where(g => g.Records.Select(r => r.Frame).Distinct().Count() >= Math.Min(_options.MinPersonFrames, Math.Max(1, videoFrames)))
            .OrderByDescending(g => g.Records.Select(r => r.Frame).Distinct().Count())
            .ThenBy(g => g.Records.Min(r => r.Frame))
            .Take(_options.MaxPeople ?? int.MaxValue)
            .OrderBy(g => g.Records.Min(r => r.Frame))
            .ToList();

        var people = new List<Person>();
        var personOfTrack = new Dictionary<int, int>();
        foreach (var g in kept)
        {
            int id = people.Count + 1;
            foreach (int t in g.Tracks) personOfTrack[t] = id;
            // The best face of the person (its track kept that crop after embedding).
            var best = g.Tracks.SelectMany(t => byTrack[t]).Where(x => x.Sample.Crop.Width > 0).OrderByDescending(x => x.Sample.Quality).Select(x => x.Sample).FirstOrDefault();
            people.Add(new Person(id, g.Tracks, g.Records.Select(r => r.Frame).Distinct().Count(),
                g.Records.Min(r => r.Frame), g.Records.Max(r => r.Frame), g.Records.Min(r => r.Time), g.Records.Max(r => r.Time),
                Linked: g.Tracks.Count > 1 || g.Tracks.All(t => descriptors[t] != null), best?.Crop, best?.Frame ?? 0));
        }
        var labelled = records.Where(r => personOfTrack.ContainsKey(r.Track))
            .Select(r => r with { Person = personOfTrack[r.Track] }).ToList();
        return (new PeopleResult(people, links, descriptors, embeddedFaces, _embeddingSeconds)
        {
            SamplingSeconds = _observing.Elapsed.TotalSeconds,
            FinishSeconds = clock.Elapsed.TotalSeconds,
            WaitSeconds = waited,
        }, labelled);
    }

    public void Dispose()
    {
        // A run that failed midway: stop the embedding thread before the model goes.
        if (!_toEmbed.IsAddingCompleted) _toEmbed.CompleteAdding();
        try { _embedder.Wait(); } catch (AggregateException) { }
        _toEmbed.Dispose();
        if (_ownsModel) _model.Dispose();
    }
}
