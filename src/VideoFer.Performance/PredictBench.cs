using VideoFer.Inference;
using VideoFer.Inference.Predictors;
using VideoFer.Models;
using VideoFer.Models.Inference;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Performance;

/// <summary>End-to-end predict in this process: decoding, detection, tracking and alignment on the
/// face pipeline's thread, the clip network on this one (what `videofer predict --model` runs; no
/// output files, no smoothing), against the same network alone on the same number of faces.</summary>
static class PredictBench
{
    /// <summary>Predict and the network alone, their runs alternating (predict, network, predict, ...)
    /// so that a change in machine load hits both alike; the best run of each counts, as in timeit.</summary>
    public static PredictResult Run(string video, string checkpoint, string arch, int repeats)
    {
        // libtorch, as the network alone below: the section measures the pipeline around the network.
        using var predictor = new ClipModelPredictor(checkpoint, engine: new Models.Engines.EngineOptions { Engine = Models.Engines.InferenceEngine.Torch });
        using var alone = new NetworkAlone(checkpoint);
        alone.Seconds(1); // warm-up
        var runs = new List<PredictRun>();
        int frames = 0, faces = 0;
        for (int i = 0; i < Math.Max(1, repeats); i++)
        {
            // The network's share of predict: tracks only, as before people existed.
            var prediction = new VideoPredictor(predictor, peopleOptions: NoPeople).Run(video, smoothingRadius: 0);
            frames = prediction.Frames;
            faces = prediction.Records.Count;
            int clips = Math.Max(1, (faces + alone.ClipLength - 1) / alone.ClipLength);
            runs.Add(new PredictRun(prediction.Seconds, alone.Seconds(clips), clips * alone.ClipLength));
        }
        double pipelineFps = FacePipelineFramesPerSecond(video, predictor.CropSizes);
        var (withPeople, withoutPeople) = DefaultModelFramesPerSecond(video, Math.Max(1, repeats));
        return new PredictResult(video, arch, frames, faces, runs.Min(r => r.PredictSeconds),
            runs.Max(r => r.NetworkFrames / r.NetworkSeconds), pipelineFps, withPeople, runs)
        {
            DefaultModelNoPeopleFramesPerSecond = withoutPeople,
        };
    }

    /// <summary>The optimized clip network as predict runs it (one clip of L faces per pass) on random
    /// faces, without the video.</summary>
    sealed class NetworkAlone : IDisposable
    {
        readonly ExpressionNet _net;
        readonly Tensor _clip;

        public NetworkAlone(string checkpoint)
        {
            var (net, info) = Checkpoint.LoadClip(checkpoint);
            _net = net;
            InferenceOptimizer.Optimize(_net);
            ClipLength = info.Config.ClipLength;
            _clip = randn([1, ClipLength, 3, info.Config.InputSize, info.Config.InputSize]);
        }

        public int ClipLength { get; }

        public double Seconds(int clips)
        {
            using var _ = inference_mode();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < clips; i++) _net.forward(_clip).Dispose();
            return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void Dispose()
        {
            _clip.Dispose();
            _net.Dispose();
        }
    }

    /// <summary>Decoding, detection, tracking and alignment alone, on one thread: frames/s.</summary>
    public static double FacePipelineFramesPerSecond(string video, IReadOnlyList<int> cropSizes)
    {
        using var source = Vision.Video.MediaSource.Open(video);
        using var pipeline = new Vision.Pipeline.FacePipeline(new Vision.Pipeline.FacePipelineOptions { CropSizes = cropSizes });
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        int frames = 0;
        foreach (var frame in pipeline.Process(source))
            using (frame) frames++;
        return frames / System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    static readonly Inference.People.PeopleOptions NoPeople = new() { Enabled = false };

    /// <summary>Predict with the default model, people linked (the default) and not (--people off), the runs
    /// alternating so that a change in machine load hits both alike; the best of each counts.</summary>
    public static (double WithPeople, double WithoutPeople) DefaultModelFramesPerSecond(string video, int repeats)
    {
        using var predictor = new FaceModelPredictor();
        double with = 0, without = 0;
        for (int i = 0; i < repeats; i++)
        {
            var on = new VideoPredictor(predictor).Run(video, smoothingRadius: 0);
            with = Math.Max(with, on.Frames / on.Seconds);
            var off = new VideoPredictor(predictor, peopleOptions: NoPeople).Run(video, smoothingRadius: 0);
            without = Math.Max(without, off.Frames / off.Seconds);
        }
        return (with, without);
    }
}
