using System.Text.Json;
using VideoFer.Metrics;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Metrics;

/// <summary>Every metric is compared with scikit-learn (reference/sklearn_metrics.py run by /usr/bin/python3)
/// on random label vectors generated here.</summary>
public class ExpressionMetricsTests
{
    sealed record Case(int[] Truth, int[] Predicted, int Classes);

    static List<Case> RandomCases(int seed)
    {
        var r = new Random(seed);
        var cases = new List<Case>();
        for (int i = 0; i < 60; i++)
        {
            int classes = i % 2 == 0 ? 7 : 8;
            int n = i < 5 ? r.Next(1, 4) : r.Next(5, 400);
            // Some classes absent from both vectors, some only from one, to exercise both averaging rules.
            var absentFromBoth = Enumerable.Range(0, classes).Where(_ => r.NextDouble() < 0.25).ToHashSet();
            int onlyInTruth = r.Next(classes), onlyInPrediction = r.Next(classes);
            int Draw(int exclude) { int c; do c = r.Next(classes); while (absentFromBoth.Contains(c) || (c == exclude && r.NextDouble() < 0.9)); return c; }
            if (absentFromBoth.Count == classes) absentFromBoth.Remove(0);
            var truth = new int[n];
            var pred = new int[n];
            for (int k = 0; k < n; k++)
            {
                truth[k] = r.NextDouble() < 0.1 ? -1 : Draw(onlyInPrediction);
                // Mostly right, as a trained model would be, with errors elsewhere.
                pred[k] = r.NextDouble() < 0.5 && truth[k] >= 0 && truth[k] != onlyInTruth ? truth[k] : Draw(onlyInTruth);
            }
            cases.Add(new Case(truth, pred, classes));
        }
        // A case where one class is absent from both vectors for certain.
        cases.Add(new Case([0, 1, 2, 3, 4, 5, 0, 1, -1], [0, 1, 2, 3, 4, 4, 1, 1, 6], 7));
        return cases;
    }

    [Fact]
    public void Matches_scikit_learn_on_random_vectors()
    {
        var cases = RandomCases(2024);
        var input = Path.Combine(Path.GetTempPath(), $"videofer-metrics-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(new
        {
            cases = cases.Select(c => new { y_true = c.Truth, y_pred = c.Predicted, classes = c.Classes }),
        }));
        JsonElement results;
        try
        {
            results = JsonDocument.Parse(Python.Run(Path.Combine(Repo.Root, "reference", "sklearn_metrics.py"), input)).RootElement;
        }
        finally
        {
            File.Delete(input);
        }
        Assert.Equal(cases.Count, results.GetArrayLength());
        int absentSeen = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var sk = results[i];
            var present = ExpressionMetrics.Compute(c.Truth, c.Predicted, c.Classes);
            var all = ExpressionMetrics.Compute(c.Truth, c.Predicted, c.Classes, F1Average.AllClasses);
            Assert.Equal(sk.GetProperty("accuracy").GetDouble(), present.Accuracy, 1e-12);
            Assert.Equal(sk.GetProperty("f1_present").GetDouble(), present.MacroF1, 1e-12);
            Assert.Equal(sk.GetProperty("f1_all").GetDouble(), all.MacroF1, 1e-12);
            AssertClose(sk.GetProperty("precision"), present.Precision);
            AssertClose(sk.GetProperty("recall"), present.Recall);
            AssertClose(sk.GetProperty("f1"), present.F1);
            Assert.Equal(sk.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray(),
                present.Confusion.ToRows());
            Assert.Equal(c.Truth.Count(t => t >= 0), present.Frames);
            Assert.Equal(0.67 * present.MacroF1 + 0.33 * present.Accuracy, present.Score, 1e-15);
            if (present.AveragedClasses.Count < c.Classes) absentSeen++;
        }
        Assert.True(absentSeen >= 5, $"only {absentSeen} cases had a class absent from both vectors");
    }

    /// <summary>A prediction of -1 (a photo where no face was found) is wrong for accuracy and a miss for its class's
    /// recall, as scikit-learn scores a prediction outside <c>labels=range(classes)</c>.</summary>
    [Fact]
    public void Misses_count_as_wrong_as_scikit_learn_scores_a_prediction_outside_the_labels()
    {
        var r = new Random(77);
        var cases = Enumerable.Range(0, 20).Select(i =>
        {
            int n = r.Next(5, 200);
            var truth = Enumerable.Range(0, n).Select(_ => r.Next(7)).ToArray();
            var pred = truth.Select(t => r.NextDouble() < 0.15 ? -1 : r.NextDouble() < 0.5 ? t : r.Next(7)).ToArray();
            return new Case(truth, pred, 7);
        }).ToList();
        var input = Path.Combine(Path.GetTempPath(), $"videofer-misses-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(new { cases = cases.Select(c => new { y_true = c.Truth, y_pred = c.Predicted, classes = c.Classes }) }));
        JsonElement results;
        try { results = JsonDocument.Parse(Python.Run(Path.Combine(Repo.Root, "reference", "sklearn_metrics.py"), input)).RootElement; }
        finally { File.Delete(input); }
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var sk = results[i];
            var m = ExpressionMetrics.Compute(c.Truth, c.Predicted, c.Classes, F1Average.AllClasses);
            Assert.Equal(sk.GetProperty("accuracy").GetDouble(), m.Accuracy, 1e-12);
            Assert.Equal(sk.GetProperty("f1_all").GetDouble(), m.MacroF1, 1e-12);
            AssertClose(sk.GetProperty("precision"), m.Precision);
            AssertClose(sk.GetProperty("recall"), m.Recall);
            AssertClose(sk.GetProperty("f1"), m.F1);
            Assert.Equal(c.Truth.Length, m.Frames);
            Assert.Equal(c.Predicted.Count(p => p == -1), m.Confusion.MissedTotal);
        }
    }

    static void AssertClose(JsonElement expected, IReadOnlyList<double> actual)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(e.Length, actual.Count);
        for (int i = 0; i < e.Length; i++)
            Assert.Equal(e[i], actual[i], 1e-12);
    }

    [Fact]
    public void Ignored_truth_frames_do_not_count_whatever_was_predicted()
    {
        var truth = new[] { 0, -1, 1, -1 };
        var a = ExpressionMetrics.Compute(truth, [0, 3, 1, 4], 7);
        var b = ExpressionMetrics.Compute(truth, [0, 6, 1, 0], 7);
        Assert.Equal(a.Accuracy, b.Accuracy);
        Assert.Equal(a.MacroF1, b.MacroF1);
        Assert.Equal(2, a.Frames);
    }

    [Fact]
    public void Out_of_range_labels_are_caller_bugs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpressionMetrics.Compute([7], [0], 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpressionMetrics.Compute([0], [-2], 7));
        Assert.Throws<ArgumentException>(() => ExpressionMetrics.Compute([0, 1], [0], 7));
    }

    [Fact]
    public void Confusion_matrices_add_up()
    {
        var r = new Random(4);
        var t = Enumerable.Range(0, 300).Select(_ => r.Next(-1, 8)).ToArray();
        var p = Enumerable.Range(0, 300).Select(_ => r.Next(0, 8)).ToArray();
        var whole = ConfusionMatrix.From(t, p, 8);
        var sum = ConfusionMatrix.From(t[..100], p[..100], 8);
        sum.Add(ConfusionMatrix.From(t[100..], p[100..], 8));
        Assert.Equal(whole.ToRows(), sum.ToRows());
        Assert.Equal(whole.Correct, sum.Correct);
        Assert.Equal(whole.Total, sum.Total);
    }
}
