using OpenCvSharp;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.Predictors;

namespace VideoFer.Inference.Tests;

/// <summary>Every output follows the predictor's class names: an 8-class prediction (ABAW 2022+,
/// with Other) is written with 8 columns, the 8-class ABAW header, and Other where it wins.</summary>
public class ClassNamesTests : TempFolderTest
{
    [Fact]
    public void EightClassPredictionsAreWrittenWithEightNamesEverywhere()
    {
        string image = Path.Combine(dir, "face.png");
        using (var m = new Mat(120, 160, MatType.CV_8UC3, new Scalar(90, 120, 150)))
            Cv2.ImWrite(image, m);
        // One face; "Other" (index 7) is the most probable class.
        float[] p = [0.05f, 0.05f, 0.05f, 0.05f, 0.1f, 0.05f, 0.05f, 0.6f];
        var record = new PredictionRecord(1, 0, 1, new Rect2f(20, 20, 60, 60), 0.9f, p);
        var prediction = new VideoPrediction(image, "face", 1, 25, 160, 120, [record], "test", 1, ExpressionClasses.Eight);

        var outputs = PredictionOutputs.Write(Path.Combine(dir, "out"), prediction);

        var csv = File.ReadAllLines(outputs.Csv);
        Assert.Equal("frame,time,track,x,y,w,h,score,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other,label", csv[0]);
        var row = csv[1].Split(',');
        Assert.Equal(17, row.Length);
        Assert.Equal("0.6", row[15]);
        Assert.Equal("Other", row[16]);
        var abaw = File.ReadAllLines(Assert.Single(outputs.LabelFiles));
        Assert.Equal(["Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other", "7"], abaw);
        var counts = (Dictionary<string, int>)PredictionOutputs.Summary(prediction, outputs)["label_counts"]!;
        Assert.Equal(ExpressionClasses.Eight, counts.Keys);
        Assert.Equal(1, counts["Other"]);
        Assert.True(File.Exists(outputs.Annotated));
        Assert.True(new FileInfo(Assert.Single(outputs.Timelines)).Length > 0);
    }

    /// <summary>The default model cuts its own square from the frame: it asks the face pipeline for
    /// no aligned crop (the pipeline then aligns nothing) and names FER2013's 7 classes in ABAW order.</summary>
    [Fact]
    public void TheDefaultModelAsksForNoAlignedCrop()
    {
        using var predictor = new FaceModelPredictor();
        Assert.Empty(predictor.CropSizes);
        Assert.True(predictor.NeedsFrameImage);
        Assert.Equal(ExpressionClasses.Seven, predictor.ClassNames);
    }
}
