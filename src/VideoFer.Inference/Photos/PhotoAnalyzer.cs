using System.Diagnostics;
using OpenCvSharp;
using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Identity;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;

namespace VideoFer.Inference.Photos;

/// <summary>One face of a photo: its detection, the model's probabilities (no smoothing: a photo has no neighbours),
/// and its identity descriptor (unit length) when the face is good enough to compare (at least
/// <see cref="PeopleOptions.MinFaceSide"/> pixels and frontal), else null.</summary>
public sealed record PhotoFace(int Index, FaceDetection Detection, IReadOnlyList<float> Probabilities, float[]? Identity)
{
    public int Label
    {
        get
        {
            int best = 0;
            for (int k = 1; k < Probabilities.Count; k++) if (Probabilities[k] > Probabilities[best]) best = k;
            return best;
        }
    }
}

/// <summary>What a photo holds: its faces, largest first... in the detector's order (best score first).</summary>
public sealed record PhotoAnalysis(string Source, int Width, int Height, IReadOnlyList<PhotoFace> Faces, IReadOnlyList<string> ClassNames, string Model, double Seconds);

/// <summary>A photo as predict reads it in a collection: the faces (the same face pipeline and model as for a
/// video), the expression of each, and an identity descriptor of each good face so that people can be linked
/// across photos (<see cref="PhotoPeople"/>). Not thread-safe: a collection uses one analyzer per worker.</summary>
public sealed class PhotoAnalyzer : IDisposable
{
    readonly IExpressionPredictor _predictor;
    readonly FacePipeline _pipeline;
    readonly FaceEmbeddingModel? _identity;
    readonly PeopleOptions _people;

    /// <param name="identities">Compute identity descriptors (people linked across photos); false with --people off.</param>
    public PhotoAnalyzer(IExpressionPredictor predictor, FacePipelineOptions? faces, PeopleOptions? people, bool identities)
    {
        _predictor = predictor;
        _people = people ?? new PeopleOptions();
        _pipeline = new FacePipeline((faces ?? new FacePipelineOptions()) with { CropSizes = predictor.CropSizes, KeepFrameImage = true });
        try { _identity = identities ? FaceEmbeddingModel.Load() : null; }
        catch { _pipeline.Dispose(); throw; }
    }

    public IReadOnlyList<string> ClassNames => _predictor.ClassNames;

    public string Model => _predictor.Description;

    /// <summary>Analyses the photo at <paramref name="path"/>; <paramref name="image"/> is the decoded photo (the
    /// caller disposes it), for the annotated copy and the face thumbnails.</summary>
    public PhotoAnalysis Analyze(string path, out Mat image)
    {
        var clock = Stopwatch.StartNew();
        var source = new ImageFileSource(path);
        image = null!;
        var faces = new List<PhotoFace>();
        foreach (var frame in _pipeline.Process(source))
            using (frame)
            {
                image = frame.Image!.Clone();
                if (frame.Faces.Count == 0) break;
                var records = _predictor.Add(frame).Concat(_predictor.Finish()).ToDictionary(r => r.Track);
                // Without people (--people off) no face is embedded.
                var good = _identity is null ? [] : frame.Faces.Where(f => Good(f.Detection)).ToList();
                var embeddings = good.Count == 0 ? [] : _identity!.Embed([.. good.Select(f => IdentityCrop.Cut(frame.Image!, f.Detection))]);
                var identities = good.Select((f, i) => (f.TrackId, Vector: PeopleLinker.MeanDescriptor([embeddings[i]]))).ToDictionary(x => x.TrackId, x => x.Vector);
                foreach (var (face, i) in frame.Faces.Select((f, i) => (f, i)))
                    faces.Add(new PhotoFace(i + 1, face.Detection, records[face.TrackId].Raw, identities.GetValueOrDefault(face.TrackId)));
            }
        if (image is null) throw VideoFerException.InFile(path, "not a readable image");
        return new PhotoAnalysis(path, image.Width, image.Height, faces, _predictor.ClassNames, _predictor.Description, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Good enough to compare with other faces: as a video track's faces are judged (docs/FACES.md).</summary>
    bool Good(FaceDetection face) => Math.Min(face.Box.Width, face.Box.Height) >= _people.MinFaceSide && IdentityCrop.Frontality(face) >= 0.5f;

    public void Dispose()
    {
        _pipeline.Dispose();
        _identity?.Dispose();
        _predictor.Dispose();
    }
}
