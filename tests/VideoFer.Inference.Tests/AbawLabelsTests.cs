using OpenCvSharp;
using VideoFer.Inference.Outputs;
using VideoFer.Submissions;

namespace VideoFer.Inference.Tests;

public class AbawLabelsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-abaw-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static PredictionRecord R(int frame, int track, int label)
    {
        var p = new float[7];
        p[label] = 1;
        return new PredictionRecord(frame, frame / 25.0, track, new Rect2f(0, 0, 10, 10), 1, p);
    }

    [Fact]
    public void EveryFrameIsLabelledFromTheNearestDetection()
    {
        var prediction = new VideoPrediction("v.mp4", "v", 8, 25, 100, 100,
            [R(2, 1, 4), R(3, 1, 4), R(7, 1, 5), R(5, 2, 1)], "test", 1, ExpressionClasses.Seven);
        var files = AbawLabels.Write(dir, prediction);
        Assert.Equal([Path.Combine(dir, "v_1.txt"), Path.Combine(dir, "v_2.txt")], files);
        var track1 = PerVideoSubmission.Read(files[0], 7).Labels;
        // frame: 1 2 3 4 5 6 7 8 -> 1 takes 2; 4 is nearer 3; 5 ties 3 and 7 -> the earlier; 6, 8 take 7
        Assert.Equal([4, 4, 4, 4, 4, 5, 5, 5], track1);
        Assert.Equal(Enumerable.Repeat(1, 8), PerVideoSubmission.Read(files[1], 7).Labels);
    }
}
