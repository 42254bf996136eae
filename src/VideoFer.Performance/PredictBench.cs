using VideoFer.Inference;
using VideoFer.Inference.Predictors;

namespace VideoFer.Performance;

/// <summary>End-to-end predict in this process: decoding, detection, tracking and alignment on the
/// face pipeline's thread, the clip network on this one (what `videofer predict --model` runs; no
/// output files, no smoothing).</summary>
static class PredictBench
{
    public static (int Frames, int Faces, double Seconds) Run(string video, IExpressionPredictor predictor)
    {
        var prediction = new VideoPredictor(predictor).Run(video, smoothingRadius: 0);
        return (prediction.Frames, prediction.Records.Count, prediction.Seconds);
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

    public static double DefaultModelFramesPerSecond(string video)
    {
        using var predictor = new DefaultModelPredictor();
        var (frames, _, seconds) = Run(video, predictor);
        return frames / seconds;
    }
}
