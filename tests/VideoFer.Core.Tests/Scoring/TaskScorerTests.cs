using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Scoring;
using VideoFer.Submissions;
using VideoFer.Tests.Support;
using static VideoFer.Tests.Support.AbawReference;

namespace VideoFer.Tests.Scoring;

/// <summary>The VA and AU scorers on prediction files written by the tests: the pooled figures must be
/// what the reference computes on the concatenated frames, per-video figures what the metrics give on
/// each video, and missing, extra and miscounted videos are reported or rejected with the file.</summary>
public class TaskScorerTests
{
    static readonly string[] Stems = ["1-30-1280x720", "video3_left", "video3_right", "200-25-720x480"];

    static VideoTrack Track(string stem, int frames, ValenceArousalLabels? va = null, ActionUnitLabels? au = null) =>
        new("affwild2", "Validation_Set", stem, Enumerable.Repeat(-1, frames).ToArray(), new bool[frames], _ => null)
        { ValenceArousal = va, ActionUnits = au };

    sealed record VaVideo(string Stem, float[] TruthV, float[] TruthA, float[] PredV, float[] PredA);
    sealed record AuVideo(string Stem, sbyte[] Truth, sbyte[] Pred);

    static List<VaVideo> VaVideos(int seed)
    {
        var r = new Random(seed);
        return Stems.Select(stem =>
        {
            var c = Metrics.AbawTaskMetricsTests.RandomVa(r, r.Next(30, 300));
            // The reader gives NaN for unannotated frames.
            var tv = c.TruthV.Select(v => v < -1 ? float.NaN : v).ToArray();
            var ta = c.TruthA.Select(v => v < -1 ? float.NaN : v).ToArray();
            return new VaVideo(stem, tv, ta, c.PredV, c.PredA);
        }).ToList();
    }

    static List<VideoTrack> VaTruth(IEnumerable<VaVideo> videos) =>
        videos.Select(v => Track(v.Stem, v.TruthV.Length, va: new ValenceArousalLabels(v.TruthV, v.TruthA))).ToList();

    static void WritePerVideo(string dir, IEnumerable<VaVideo> videos) =>
        ValenceArousalSubmission.WriteAll(dir, videos.Select(v => (v.Stem, (IReadOnlyList<float>)v.PredV, (IReadOnlyList<float>)v.PredA)));

    static void AssertPooledVa(IEnumerable<VaVideo> videos, ValenceArousalMetrics actual)
    {
        var list = videos.ToList();
        var reference = Run(new
        {
            va = new[] { new {
                truth_v = ForJson(list.SelectMany(v => v.TruthV)), truth_a = ForJson(list.SelectMany(v => v.TruthA)),
                pred_v = ForJson(list.SelectMany(v => v.PredV)), pred_a = ForJson(list.SelectMany(v => v.PredA)) } },
        }).GetProperty("va")[0];
        Assert.Equal(reference.GetProperty("frames").GetInt64(), actual.Frames);
        AssertClose(Number(reference.GetProperty("ccc_v")), actual.ValenceCcc, 1e-6, "valence");
        AssertClose(Number(reference.GetProperty("ccc_a")), actual.ArousalCcc, 1e-6, "arousal");
    }

    [Fact]
    public void VA_scores_per_video_files_as_the_reference_on_the_pooled_frames()
    {
        using var tmp = new TempDir();
        var videos = VaVideos(1);
        WritePerVideo(tmp.Combine("pred"), videos);
        var extra = VaVideos(2)[0] with { Stem = "not-in-truth" };
        WritePerVideo(tmp.Combine("pred"), [extra]);
        // A track without VA labels (an expression-only track) is not VA ground truth.
        var truth = VaTruth(videos).Append(Track("expression-only", 10)).ToList();
        var report = ValenceArousalScorer.Score(truth, tmp.Combine("pred"), AffWild2Edition.Abaw2022);
        AssertPooledVa(videos, report.Metrics);
        Assert.Equal((report.Metrics.ValenceCcc + report.Metrics.ArousalCcc) / 2, report.Score);
        Assert.Equal(["not-in-truth"], report.UnusedPredictions);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Tolerated);
        Assert.Equal(videos.Select(v => v.Stem), report.Videos.Select(v => v.Stem));
        foreach (var (video, scored) in videos.Zip(report.Videos))
        {
            var own = ValenceArousalMetrics.Compute(video.TruthV, video.TruthA, video.PredV, video.PredA);
            Assert.Equal(own, scored.Metrics);
            Assert.Equal(video.TruthV.Length, scored.AnnotatedFrames);
        }
    }

    [Fact]
    public void VA_scores_a_2024_csv_given_as_file_or_folder()
    {
        using var tmp = new TempDir();
        var videos = VaVideos(3);
        Abaw2024ValenceArousalSubmission.Write(tmp.Combine("sub", "va.csv"),
            videos.AsEnumerable().Reverse().Select(v => (v.Stem, (IReadOnlyList<float>)v.PredV, (IReadOnlyList<float>)v.PredA)));
        var fromFile = ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("sub", "va.csv"), AffWild2Edition.Abaw2024);
        AssertPooledVa(videos, fromFile.Metrics);
        var fromFolder = ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("sub"), AffWild2Edition.Abaw2024);
        Assert.Equal(fromFile.Metrics, fromFolder.Metrics);
        Assert.Equal(tmp.Combine("sub", "va.csv"), fromFolder.PredictionSource);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void VA_count_off_by_one_is_tolerated_and_only_common_frames_count(int difference)
    {
        using var tmp = new TempDir();
        var videos = VaVideos(4);
        var changed = videos[2];
        var submitted = videos.Select(v => v != changed ? v : v with
        {
            PredV = difference > 0 ? [.. v.PredV, 0.5f] : v.PredV[..^1],
            PredA = difference > 0 ? [.. v.PredA, 0.5f] : v.PredA[..^1],
        }).ToList();
        WritePerVideo(tmp.Combine("pred"), submitted);
        var report = ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("pred"), AffWild2Edition.Abaw2021);
        Assert.Equal(new ToleratedCount(changed.Stem, changed.TruthV.Length, changed.TruthV.Length + difference), Assert.Single(report.Tolerated));
        int common = Math.Min(changed.TruthV.Length, changed.TruthV.Length + difference);
        AssertPooledVa(videos.Select(v => v != changed ? v : new VaVideo(v.Stem, v.TruthV[..common], v.TruthA[..common], v.PredV[..common], v.PredA[..common])), report.Metrics);
    }

    [Fact]
    public void VA_larger_count_difference_and_missing_files_are_errors_naming_the_file()
    {
        using var tmp = new TempDir();
        var videos = VaVideos(5);
        var v = videos[1];
        WritePerVideo(tmp.Combine("pred"), videos.Select(x => x != v ? x : x with { PredV = x.PredV[..^2], PredA = x.PredA[..^2] }));
        var e = Assert.Throws<VideoFerException>(() => ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("pred"), AffWild2Edition.Abaw2022));
        Assert.StartsWith($"{tmp.Combine("pred", v.Stem + ".txt")}:{v.PredV.Length - 1}: {v.PredV.Length - 2} predictions for video {v.Stem}", e.Message);
        Assert.Contains($"has {v.TruthV.Length} frames", e.Message);

        File.Delete(tmp.Combine("pred", v.Stem + ".txt"));
        e = Assert.Throws<VideoFerException>(() => ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("pred"), AffWild2Edition.Abaw2022));
        Assert.Equal($"{tmp.Combine("pred", v.Stem + ".txt")}: missing: every ground-truth video needs a prediction file", e.Message);
        var partial = ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("pred"), AffWild2Edition.Abaw2022, allowMissing: true);
        Assert.Equal([v.Stem], partial.Missing);
        AssertPooledVa(videos.Where(x => x != v), partial.Metrics);

        Abaw2024ValenceArousalSubmission.Write(tmp.Combine("csv", "s.csv"), videos.Skip(1).Select(x => (x.Stem, (IReadOnlyList<float>)x.PredV, (IReadOnlyList<float>)x.PredA)));
        e = Assert.Throws<VideoFerException>(() => ValenceArousalScorer.Score(VaTruth(videos), tmp.Combine("csv"), AffWild2Edition.Abaw2024));
        Assert.StartsWith($"{tmp.Combine("csv", "s.csv")}: no rows for video {videos[0].Stem}", e.Message);
    }

    [Fact]
    public void VA_without_any_annotated_frame_or_VA_track_is_an_error()
    {
        using var tmp = new TempDir();
        var blank = new VaVideo("a", [float.NaN, float.NaN], [float.NaN, float.NaN], [0.1f, 0.2f], [0.1f, 0.2f]);
        WritePerVideo(tmp.Combine("pred"), [blank]);
        var e = Assert.Throws<VideoFerException>(() => ValenceArousalScorer.Score(VaTruth([blank]), tmp.Combine("pred"), AffWild2Edition.Abaw2022));
        Assert.Contains("no annotated frame to score", e.Message);
        e = Assert.Throws<VideoFerException>(() => ValenceArousalScorer.Score([Track("a", 2)], tmp.Combine("pred"), AffWild2Edition.Abaw2022));
        Assert.Contains("no ground-truth video has valence-arousal annotations", e.Message);
    }

    static List<AuVideo> AuVideos(int seed, IReadOnlyList<string> names)
    {
        var r = new Random(seed);
        return Stems.Select(stem =>
        {
            var c = Metrics.AbawTaskMetricsTests.RandomAu(r, names, r.Next(30, 300));
            // ABAW files mark a whole frame -1; the random cases already do.
            return new AuVideo(stem, c.Truth, c.Pred);
        }).ToList();
    }

    static List<VideoTrack> AuTruth(IEnumerable<AuVideo> videos, IReadOnlyList<string> names) =>
        videos.Select(v => Track(v.Stem, v.Truth.Length / names.Count, au: new ActionUnitLabels(names, v.Truth))).ToList();

    [Theory]
    [InlineData("2020")]
    [InlineData("2021")]
    [InlineData("2022")]
    [InlineData("2024")]
    public void AU_scores_as_the_reference_on_the_pooled_frames_with_the_editions_score(string year)
    {
        using var tmp = new TempDir();
        var edition = AffWild2Editions.Parse(year);
        var names = edition.ActionUnits();
        var videos = AuVideos(int.Parse(year), names);
        string predictions;
        if (edition == AffWild2Edition.Abaw2024)
        {
            predictions = tmp.Combine("au.csv");
            Abaw2024ActionUnitSubmission.Write(predictions, names, videos.Select(v => (v.Stem, (IReadOnlyList<sbyte>)v.Pred)));
        }
        else
        {
            predictions = tmp.Combine("pred");
            ActionUnitSubmission.WriteAll(predictions, names, videos.Select(v => (v.Stem, (IReadOnlyList<sbyte>)v.Pred)));
        }
        var report = ActionUnitScorer.Score(AuTruth(videos, names), predictions, edition);
        var reference = Run(new
        {
            au = new[] { new { truth = Rows(videos.SelectMany(v => v.Truth).ToArray(), names.Count), pred = Rows(videos.SelectMany(v => v.Pred).ToArray(), names.Count) } },
        }).GetProperty("au")[0];
        var f1 = reference.GetProperty("f1").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int j = 0; j < names.Count; j++)
            AssertClose(f1[j], report.Metrics.F1[j], 1e-6, names[j]);
        AssertClose(reference.GetProperty("accuracy").GetDouble(), report.Metrics.Accuracy, 1e-6, "accuracy");
        var expected = reference.GetProperty(edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? "score_2020" : "score_2022").GetDouble();
        AssertClose(expected, report.Score, 1e-6, "score");
        foreach (var (video, scored) in videos.Zip(report.Videos))
        {
            var own = ActionUnitMetrics.Compute(names, video.Truth, video.Pred);
            Assert.Equal(own.F1, scored.Metrics.F1);
            Assert.Equal(own.Accuracy, scored.Metrics.Accuracy);
        }
    }

    [Fact]
    public void AU_predictions_must_list_the_ground_truths_AUs_and_counts_follow_the_tolerance()
    {
        using var tmp = new TempDir();
        var names = AbawActionUnits.Since2021;
        var videos = AuVideos(31, names);
        ActionUnitSubmission.WriteAll(tmp.Combine("pred"), AbawActionUnits.Abaw2020,
            videos.Select(v => (v.Stem, (IReadOnlyList<sbyte>)new sbyte[v.Truth.Length / names.Count * 8])));
        var e = Assert.Throws<VideoFerException>(() => ActionUnitScorer.Score(AuTruth(videos, names), tmp.Combine("pred"), AffWild2Edition.Abaw2022));
        Assert.StartsWith($"{tmp.Combine("pred", videos[0].Stem + ".txt")}:1: expected the header 'AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26'", e.Message);

        var changed = videos[3];
        ActionUnitSubmission.WriteAll(tmp.Combine("pred2"), names,
            videos.Select(v => (v.Stem, (IReadOnlyList<sbyte>)(v == changed ? [.. v.Pred, .. new sbyte[names.Count]] : v.Pred))));
        var report = ActionUnitScorer.Score(AuTruth(videos, names), tmp.Combine("pred2"), AffWild2Edition.Abaw2022);
        int frames = changed.Truth.Length / names.Count;
        Assert.Equal(new ToleratedCount(changed.Stem, frames, frames + 1), Assert.Single(report.Tolerated));
        var pooled = ActionUnitMetrics.Compute(names, videos.SelectMany(v => v.Truth).ToArray(), videos.SelectMany(v => v.Pred).ToArray());
        Assert.Equal(pooled.F1, report.Metrics.F1);

        ActionUnitSubmission.WriteAll(tmp.Combine("pred3"), names,
            videos.Select(v => (v.Stem, (IReadOnlyList<sbyte>)(v == changed ? [.. v.Pred, .. new sbyte[2 * names.Count]] : v.Pred))));
        e = Assert.Throws<VideoFerException>(() => ActionUnitScorer.Score(AuTruth(videos, names), tmp.Combine("pred3"), AffWild2Edition.Abaw2022));
        Assert.StartsWith($"{tmp.Combine("pred3", changed.Stem + ".txt")}:{frames + 3}: {frames + 2} predictions for video {changed.Stem}", e.Message);

        File.Delete(tmp.Combine("pred2", changed.Stem + ".txt"));
        var partial = ActionUnitScorer.Score(AuTruth(videos, names), tmp.Combine("pred2"), AffWild2Edition.Abaw2020, allowMissing: true);
        Assert.Equal([changed.Stem], partial.Missing);
        Assert.Equal(0.5 * partial.Metrics.MeanF1 + 0.5 * partial.Metrics.Accuracy, partial.Score);
    }

    [Fact]
    public void AU_ground_truth_with_two_AU_lists_is_refused()
    {
        using var tmp = new TempDir();
        var truth = new List<VideoTrack>
        {
            Track("a", 1, au: new ActionUnitLabels(["AU1", "AU2"], [1, 0])),
            Track("b", 1, au: new ActionUnitLabels(["AU1", "AU4"], [1, 0])),
        };
        ActionUnitSubmission.WriteAll(tmp.Path, ["AU1", "AU2"], [("a", new sbyte[] { 1, 0 }), ("b", new sbyte[] { 1, 0 })]);
        var e = Assert.Throws<VideoFerException>(() => ActionUnitScorer.Score(truth, tmp.Path, AffWild2Edition.Abaw2022));
        Assert.Contains("ground-truth video b annotates AU1,AU4, but a annotates AU1,AU2", e.Message);
    }
}
