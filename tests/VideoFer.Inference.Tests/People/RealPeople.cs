using OpenCvSharp;
using VideoFer.Inference.People;
using VideoFer.Models.Expressions;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;

namespace VideoFer.Inference.Tests.People;

/// <summary>The faces VideoFer's own pipeline finds in real media (detection, tracking, <see cref="TrackSampler"/>),
/// with the kept faces of every track, for measuring embeddings and crops on what predict actually sees.</summary>
public static class RealPeople
{
    public sealed record SampledTrack(string Media, int Track, int FirstFrame, int LastFrame, int Frames, IReadOnlyList<FaceSample> Samples);

    /// <summary>Runs the face pipeline on <paramref name="path"/> (the first <paramref name="maxFrames"/> frames)
    /// and returns every track with its kept faces.</summary>
    public static IReadOnlyList<SampledTrack> Sample(string path, PeopleOptions? options = null, int maxFrames = int.MaxValue)
    {
        var sampler = new TrackSampler((options ?? new PeopleOptions()).Check());
        using var source = MediaSource.Open(path);
        using var pipeline = new FacePipeline(new FacePipelineOptions { CropSizes = [], KeepFrameImage = true });
        foreach (var frame in pipeline.Process(source))
            using (frame)
            {
                if (frame.Index > maxFrames) break;
                foreach (var f in frame.Faces) sampler.Offer(frame.Index, f.TrackId, f.Detection, frame.Image!);
            }
        string name = Path.GetFileName(path);
        return sampler.Tracks.Select(t => new SampledTrack(name, t.Track, t.FirstFrame, t.LastFrame, t.Frames, t.Samples)).ToList();
    }

    /// <summary>Cuts the kept faces of <paramref name="tracks"/> again from the video with other crops, in one
    /// decoding pass: per crop, the faces by (track, frame).</summary>
    public static List<Dictionary<(int Track, int Frame), FaceCrop>> Recut(string path, IReadOnlyList<SampledTrack> tracks,
        IReadOnlyList<Func<Mat, FaceDetection, FaceCrop>> cuts)
    {
        var wanted = tracks.SelectMany(t => t.Samples.Select(s => (t.Track, s))).ToLookup(x => x.s.Frame);
        int last = tracks.Count == 0 ? 0 : tracks.Max(t => t.LastFrame);
        var result = cuts.Select(_ => new Dictionary<(int, int), FaceCrop>()).ToList();
        using var source = MediaSource.Open(path);
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                if (frame.Index > last) break;
                foreach (var (track, s) in wanted[frame.Index])
                    for (int c = 0; c < cuts.Count; c++)
                        result[c][(track, s.Frame)] = cuts[c](frame.Image, s.Detection);
            }
        return result;
    }

    /// <summary>A BGR Mat as a contiguous <see cref="FaceCrop"/>.</summary>
    public static FaceCrop ToCrop(Mat bgr)
    {
        using var c = bgr.IsContinuous() ? bgr.Clone() : bgr.Clone();
        var bytes = new byte[c.Rows * c.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(c.Data, bytes, 0, bytes.Length);
        return new FaceCrop(bytes, c.Cols, c.Rows, ChannelOrder.Bgr);
    }
}
