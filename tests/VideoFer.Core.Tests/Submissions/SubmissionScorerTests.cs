using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Scoring;
using VideoFer.Submissions;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Submissions;

/// <summary>The scorer must give exactly what the metrics give on the pooled frames (the metrics are
/// checked against scikit-learn separately), and reject broken submissions with file and line.</summary>
public class SubmissionScorerTests
{
    sealed record Video(string Stem, int[] Truth, int[] Predicted);

    static List<Video> WriteGroundTruth(TempDir tmp, int classes, int seed, string folder = "gt")
    {
        var r = new Random(seed);
        var videos = new List<Video>();
        foreach (var stem in new[] { "1-30-1280x720", "video3_left", "video3_right", "200-25-720x480" })
        {
            int n = r.Next(30, 120);
            var truth = Enumerable.Range(0, n).Select(_ => r.NextDouble() < 0.1 ? -1 : r.Next(classes)).ToArray();
            var pred = truth.Select(t => t >= 0 && r.NextDouble() < 0.6 ? t : r.Next(classes)).ToArray();
            tmp.Write(Path.Combine(folder, stem + ".txt"), string.Join("\n", truth.Select(t => t.ToString()).Prepend(ExpressionHeader.For(classes))));
            videos.Add(new Video(stem, truth, pred));
        }
        return videos;
    }

    static ClassificationMetrics Expected(IEnumerable<Video> videos, int classes, F1Average average = F1Average.PresentLabels) =>
        ExpressionMetrics.Compute(videos.SelectMany(v => v.Truth).ToArray(), videos.SelectMany(v => v.Predicted).ToArray(), classes, average);

    static void AssertSame(ClassificationMetrics expected, ClassificationMetrics actual)
    {
        Assert.Equal(expected.Accuracy, actual.Accuracy);
        Assert.Equal(expected.MacroF1, actual.MacroF1);
        Assert.Equal(expected.F1, actual.F1);
        Assert.Equal(expected.Frames, actual.Frames);
        Assert.Equal(expected.Confusion.ToRows(), actual.Confusion.ToRows());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Scores_per_video_txt_predictions(int classes)
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, classes, classes);
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), classes);
        var report = SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred"));
        AssertSame(Expected(videos, classes), report.Metrics);
        Assert.Equal(videos.Count, report.Videos);
        Assert.Empty(report.Tolerated);
        var all = SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred"), classes, F1Average.AllClasses);
        AssertSame(Expected(videos, classes, F1Average.AllClasses), all.Metrics);
    }

    [Fact]
    public void Scores_a_2024_csv_given_as_file_or_folder()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 8, 3);
        Abaw2024Submission.Write(tmp.Combine("sub", "predictions.csv"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)).Reverse());
        AssertSame(Expected(videos, 8), SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("sub", "predictions.csv")).Metrics);
        AssertSame(Expected(videos, 8), SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("sub")).Metrics);
    }

    [Fact]
    public void A_dataset_root_scores_its_validation_split()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 4, folder: Path.Combine("annotations", "EXPR_Set", "Validation_Set"));
        Directory.CreateDirectory(tmp.Combine("annotations", "EXPR_Set", "Training_Set"));
        tmp.Write("expression_test_set.txt", "a\nb\n");
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), 7);
        AssertSame(Expected(videos, 7), SubmissionScorer.Score(tmp.Path, tmp.Combine("pred")).Metrics);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_count_off_by_one_is_tolerated_and_reported(int difference)
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 5);
        var changed = videos[1];
        var predicted = difference > 0 ? [.. changed.Predicted, 0] : changed.Predicted[..^1];
        var submitted = videos.Select(v => v == changed ? v with { Predicted = predicted } : v).ToList();
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), submitted.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), 7);
        var report = SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred"));
        Assert.Equal(new ToleratedCount(changed.Stem, changed.Truth.Length, predicted.Length), Assert.Single(report.Tolerated));
        // Only the frames both have are scored.
        int common = Math.Min(changed.Truth.Length, predicted.Length);
        var scored = videos.Select(v => v == changed ? new Video(v.Stem, v.Truth[..common], predicted[..common]) : v);
        AssertSame(Expected(scored, 7), report.Metrics);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    public void A_larger_count_difference_is_an_error_with_file_and_line(int difference)
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 6);
        var v = videos[2];
        var predicted = difference > 0 ? [.. v.Predicted, 0, 0] : v.Predicted[..^2];
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(x => (x.Stem, (IReadOnlyList<int>)(x == v ? predicted : x.Predicted))), 7);
        var e = Assert.Throws<VideoFerException>(() => SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred")));
        Assert.StartsWith($"{tmp.Combine("pred", v.Stem + ".txt")}:{predicted.Length + 1}: {predicted.Length} predictions for video {v.Stem}", e.Message);
        Assert.Contains($"has {v.Truth.Length} frames", e.Message);
        Assert.Contains("a difference of 1 frame is tolerated", e.Message);
    }

    [Fact]
    public void A_missing_prediction_file_names_the_file_and_the_ground_truth()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 7);
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Skip(1).Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), 7);
        var e = Assert.Throws<VideoFerException>(() => SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred")));
        Assert.StartsWith($"{tmp.Combine("pred", videos[0].Stem + ".txt")}: missing", e.Message);
        Assert.Contains(tmp.Combine("gt", videos[0].Stem + ".txt"), e.Message);
    }

    [Fact]
    public void Header_and_class_count_mismatches_are_errors()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 8);
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), 8);
        var e = Assert.Throws<VideoFerException>(() => SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred")));
        Assert.EndsWith(".txt:1: expected the header 'Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise' (7 classes), got 'Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other'", e.Message);
        var classes = Assert.Throws<VideoFerException>(() => SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred"), 8));
        Assert.StartsWith(tmp.Combine("gt", videos.Select(v => v.Stem).Order(StringComparer.Ordinal).First() + ".txt") + ":1: expected the header", classes.Message);
    }

    [Fact]
    public void A_non_integer_prediction_names_file_and_line()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 9);
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)), 7);
        var file = tmp.Combine("pred", videos[3].Stem + ".txt");
        var lines = File.ReadAllLines(file);
        lines[5] = "happy";
        File.WriteAllLines(file, lines);
        var e = Assert.Throws<VideoFerException>(() => SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred")));
        Assert.Equal($"{file}:6: expected one integer label from 0 to 6, got 'happy'", e.Message);
    }

    [Fact]
    public void Predictions_without_ground_truth_are_listed_not_scored()
    {
        using var tmp = new TempDir();
        var videos = WriteGroundTruth(tmp, 7, 10);
        PerVideoSubmission.WriteAll(tmp.Combine("pred"), videos.Select(v => (v.Stem, (IReadOnlyList<int>)v.Predicted)).Append(("extra", [1, 2])), 7);
        var report = SubmissionScorer.Score(tmp.Combine("gt"), tmp.Combine("pred"));
        Assert.Equal(["extra"], report.UnusedPredictions);
        AssertSame(Expected(videos, 7), report.Metrics);
    }
}
