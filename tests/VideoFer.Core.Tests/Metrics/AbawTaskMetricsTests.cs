using System.Text.Json;
using VideoFer.Datasets.AffWild2;
using VideoFer.Metrics;
using VideoFer.Submissions;
using VideoFer.Tests.Support;
using static VideoFer.Tests.Support.AbawReference;

namespace VideoFer.Tests.Metrics;

/// <summary>The VA, AU and multi-task metrics against reference/abaw_metrics.py (numpy + scikit-learn),
/// on random data from several seeds and on the degenerate cases.</summary>
public class AbawTaskMetricsTests
{
    const double Tolerance = 1e-6;

    public sealed record VaCase(float[] TruthV, float[] TruthA, float[] PredV, float[] PredA);
    public sealed record AuCase(IReadOnlyList<string> Names, sbyte[] Truth, sbyte[] Pred);

    static object Json(VaCase c) => new { truth_v = ForJson(c.TruthV), truth_a = ForJson(c.TruthA), pred_v = ForJson(c.PredV), pred_a = ForJson(c.PredA) };
    static object Json(AuCase c) => new { truth = Rows(c.Truth, c.Names.Count), pred = Rows(c.Pred, c.Names.Count) };

    public static VaCase RandomVa(Random r, int n, double unannotated = 0.1)
    {
        var tv = new float[n]; var ta = new float[n]; var pv = new float[n]; var pa = new float[n];
        double bias = r.NextDouble() * 0.4 - 0.2, agreement = r.NextDouble();
        for (int i = 0; i < n; i++)
        {
            // Unannotated frames as the reader gives them (NaN) or as the files write them (-5).
            bool skip = r.NextDouble() < unannotated;
            tv[i] = skip ? (r.NextDouble() < 0.5 ? float.NaN : -5f) : (float)(r.NextDouble() * 2 - 1);
            ta[i] = skip ? tv[i] : (float)(r.NextDouble() * 2 - 1);
            float Noisy(float t) => (float)Math.Clamp((float.IsNaN(t) || t < -1 ? 0 : t) * agreement + bias + (r.NextDouble() - 0.5) * (1 - agreement), -1, 1);
            pv[i] = Noisy(tv[i]);
            pa[i] = Noisy(ta[i]);
        }
        if (!Enumerable.Range(0, n).Any(i => tv[i] is >= -1 and <= 1)) { tv[0] = 0.25f; ta[0] = -0.5f; }
        return new VaCase(tv, ta, pv, pa);
    }

    public static AuCase RandomAu(Random r, IReadOnlyList<string> names, int n)
    {
        int k = names.Count;
        var truth = new sbyte[n * k];
        var pred = new sbyte[n * k];
        // Per-AU base rates: some AUs never active in the truth, some never predicted, some always.
        var rate = Enumerable.Range(0, k).Select(_ => r.NextDouble() switch { < 0.15 => 0.0, < 0.25 => 1.0, var x => x * 0.6 }).ToArray();
        var predRate = Enumerable.Range(0, k).Select(j => r.NextDouble() < 0.15 ? 0.0 : rate[j]).ToArray();
        for (int f = 0; f < n; f++)
        {
            bool unannotated = r.NextDouble() < 0.1;
            for (int j = 0; j < k; j++)
            {
                int i = f * k + j;
                truth[i] = unannotated ? (sbyte)-1 : r.NextDouble() < rate[j] ? (sbyte)1 : (sbyte)0;
                bool copy = truth[i] >= 0 && r.NextDouble() < 0.6 && predRate[j] > 0;
                pred[i] = copy ? truth[i] : r.NextDouble() < predRate[j] ? (sbyte)1 : (sbyte)0;
            }
        }
        return new AuCase(names, truth, pred);
    }

    static void AssertVa(JsonElement reference, VaCase c, string what)
    {
        var m = ValenceArousalMetrics.Compute(c.TruthV, c.TruthA, c.PredV, c.PredA);
        Assert.Equal(reference.GetProperty("frames").GetInt64(), m.Frames);
        AssertClose(Number(reference.GetProperty("ccc_v")), m.ValenceCcc, Tolerance, what + " valence");
        AssertClose(Number(reference.GetProperty("ccc_a")), m.ArousalCcc, Tolerance, what + " arousal");
        AssertClose(Number(reference.GetProperty("mean")), m.MeanCcc, Tolerance, what + " mean");
        AssertClose(Number(reference.GetProperty("mean")), AbawTaskScores.ValenceArousal(m.ValenceCcc, m.ArousalCcc), Tolerance, what + " score");
    }

    static void AssertAu(JsonElement reference, AuCase c, string what)
    {
        var m = ActionUnitMetrics.Compute(c.Names, c.Truth, c.Pred);
        var f1 = reference.GetProperty("f1").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(f1.Length, m.F1.Count);
        for (int j = 0; j < f1.Length; j++)
            AssertClose(f1[j], m.F1[j], Tolerance, $"{what} {c.Names[j]} F1");
        AssertClose(reference.GetProperty("mean_f1").GetDouble(), m.MeanF1, Tolerance, what + " mean F1");
        AssertClose(reference.GetProperty("accuracy").GetDouble(), m.Accuracy, Tolerance, what + " accuracy");
        AssertClose(reference.GetProperty("score_2020").GetDouble(), m.Score(AffWild2Edition.Abaw2020), Tolerance, what + " 2020 score");
        AssertClose(reference.GetProperty("score_2020").GetDouble(), m.Score(AffWild2Edition.Abaw2021), Tolerance, what + " 2021 score");
        AssertClose(reference.GetProperty("score_2022").GetDouble(), m.Score(AffWild2Edition.Abaw2022), Tolerance, what + " 2022 score");
        AssertClose(reference.GetProperty("score_2022").GetDouble(), m.Score(AffWild2Edition.Abaw2024), Tolerance, what + " 2024 score");
        Assert.Equal(reference.GetProperty("frames").GetInt64(), m.Frames);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Valence_arousal_CCC_matches_numpy_on_random_data(int seed)
    {
        var r = new Random(seed);
        var cases = Enumerable.Range(0, 40).Select(i => RandomVa(r, i < 4 ? r.Next(2, 5) : r.Next(10, 2000))).ToList();
        var reference = Run(new { va = cases.Select(Json) }).GetProperty("va");
        for (int i = 0; i < cases.Count; i++)
            AssertVa(reference[i], cases[i], $"seed {seed} case {i}");
    }

    [Fact]
    public void Valence_arousal_degenerate_cases_match_numpy()
    {
        float[] rising = [-0.5f, 0f, 0.25f, 0.75f];
        float[] c05 = [0.5f, 0.5f, 0.5f, 0.5f];
        float[] c025 = [0.25f, 0.25f, 0.25f, 0.25f];
        var cases = new List<(string Name, VaCase Case)>
        {
            ("constant predictions", new(rising, rising, c05, c025)),
            ("constant truth", new(c05, c025, rising, rising)),
            ("both constant and equal: 0/0", new(c05, c025, c05, c025)),
            ("both constant and different", new(c05, c05, c025, c025)),
            ("one frame, exact", new([0.5f], [-0.25f], [0.5f], [-0.25f])),
            ("one frame, off", new([0.5f], [-0.25f], [0.25f], [0.5f])),
            ("unannotated frames present", new([0.5f, float.NaN, -5f, 0.25f, -0.5f], [0.1f, float.NaN, -5f, 0.3f, 0.2f], [0.4f, 1f, 1f, 0.2f, -0.1f], [0f, -1f, 1f, 0.5f, 0.25f])),
            ("perfect", new(rising, rising, rising, rising)),
            ("negated", new(rising, rising, rising.Select(v => -v).ToArray(), rising.Select(v => -v).ToArray())),
        };
        var reference = Run(new { va = cases.Select(c => Json(c.Case)) }).GetProperty("va");
        for (int i = 0; i < cases.Count; i++)
            AssertVa(reference[i], cases[i].Case, cases[i].Name);
        // The documented values, so a change of definition is noticed here too.
        Assert.Equal(0, Concordance.Ccc(rising, c05));
        Assert.True(double.IsNaN(Concordance.Ccc(c05, c05)));
        Assert.True(double.IsNaN(ValenceArousalMetrics.Compute(c05, c025, c05, c025).MeanCcc));
        Assert.Equal(1, Concordance.Ccc(rising, rising), 12);
    }

    [Fact]
    public void Constants_with_an_inexact_mean_still_give_exact_zero_moments()
    {
        // numpy's mean of ten 0.1s is not 0.1, which leaves rounding noise for its variance; ours is 0.
        var tenths = Enumerable.Repeat(0.1, 10).ToArray();
        var other = Enumerable.Range(0, 10).Select(i => i / 10.0).ToArray();
        Assert.Equal(0, Concordance.Ccc(other, tenths));
        Assert.True(double.IsNaN(Concordance.Ccc(tenths, tenths)));
    }

    [Fact]
    public void NaN_in_predictions_gives_NaN_and_bad_lengths_throw()
    {
        Assert.True(double.IsNaN(Concordance.Ccc([0.1, 0.2, 0.3], [0.1, double.NaN, 0.3])));
        Assert.True(double.IsNaN(Concordance.Ccc([double.NaN, double.NaN], [0.1, 0.1])));
        Assert.Throws<ArgumentException>(() => Concordance.Ccc([0.1, 0.2], [0.1]));
        Assert.Throws<ArgumentException>(() => Concordance.Ccc(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => ValenceArousalMetrics.Compute([0.1f], [0.1f], [0.1f, 0.2f], [0.1f]));
        Assert.Throws<ArgumentException>(() => ValenceArousalMetrics.Compute([float.NaN], [float.NaN], [0.1f], [0.1f]));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Action_unit_F1_accuracy_and_scores_match_scikit_learn_on_random_data(int seed)
    {
        var r = new Random(seed);
        var cases = Enumerable.Range(0, 30).Select(i => RandomAu(r, i % 2 == 0 ? AbawActionUnits.Abaw2020 : AbawActionUnits.Since2021,
            i < 4 ? r.Next(1, 4) : r.Next(20, 1500))).ToList();
        var reference = Run(new { au = cases.Select(Json) }).GetProperty("au");
        int zeroColumns = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            AssertAu(reference[i], cases[i], $"seed {seed} case {i}");
            var m = ActionUnitMetrics.Compute(cases[i].Names, cases[i].Truth, cases[i].Pred);
            zeroColumns += Enumerable.Range(0, m.Names.Count).Count(j => m.Counts.TruePositives(j) + m.Counts.FalsePositives(j) + m.Counts.FalseNegatives(j) == 0);
        }
        Assert.True(zeroColumns >= 3, $"only {zeroColumns} AUs without any positive: the zero_division case was barely exercised");
    }

    [Fact]
    public void Action_unit_edge_cases_match_scikit_learn()
    {
        IReadOnlyList<string> names = ["AU1", "AU2", "AU4"];
        sbyte[] S(params int[] v) => v.Select(x => (sbyte)x).ToArray();
        var cases = new List<(string Name, AuCase Case)>
        {
            ("all-negative truth and predictions", new(names, S(0, 0, 0, 0, 0, 0), S(0, 0, 0, 0, 0, 0))),
            ("all-negative truth, some predicted", new(names, S(0, 0, 0, 0, 0, 0), S(1, 0, 0, 0, 1, 0))),
            ("all-positive", new(names, S(1, 1, 1, 1, 1, 1), S(1, 1, 1, 1, 1, 1))),
            ("all-positive truth, none predicted", new(names, S(1, 1, 1, 1, 1, 1), S(0, 0, 0, 0, 0, 0))),
            ("one frame", new(names, S(1, 0, 1), S(1, 1, 0))),
            ("unannotated frames present", new(names, S(-1, -1, -1, 1, 0, 1, -1, -1, -1, 0, 0, 1), S(1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1))),
        };
        var reference = Run(new { au = cases.Select(c => Json(c.Case)) }).GetProperty("au");
        for (int i = 0; i < cases.Count; i++)
            AssertAu(reference[i], cases[i].Case, cases[i].Name);
        // An AU nobody marks scores 0 (scikit-learn's zero_division default) and still counts in the mean.
        var none = ActionUnitMetrics.Compute(names, S(0, 0, 0, 0, 0, 0), S(0, 0, 0, 0, 0, 0));
        Assert.Equal([0.0, 0.0, 0.0], none.F1);
        Assert.Equal(1.0, none.Accuracy);
        Assert.Equal(0.5, none.Score(AffWild2Edition.Abaw2020));
        Assert.Equal(0.0, none.Score(AffWild2Edition.Abaw2022));
        // Unannotated frames do not count whatever was predicted.
        var a = ActionUnitMetrics.Compute(names, S(-1, -1, -1, 1, 0, 1), S(1, 1, 1, 1, 0, 0));
        var b = ActionUnitMetrics.Compute(names, S(-1, -1, -1, 1, 0, 1), S(0, 0, 0, 1, 0, 0));
        Assert.Equal(a.F1, b.F1);
        Assert.Equal(a.Accuracy, b.Accuracy);
        Assert.Equal(1, a.Frames);
    }

    [Fact]
    public void Action_unit_counts_refuse_values_outside_their_sets()
    {
        IReadOnlyList<string> names = ["AU1", "AU2"];
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionUnitMetrics.Compute(names, [1, 0], [1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionUnitMetrics.Compute(names, [2, 0], [1, 0]));
        Assert.Throws<ArgumentException>(() => ActionUnitMetrics.Compute(names, [1, 0, 1], [1, 0, 1]));
        Assert.Throws<ArgumentException>(() => ActionUnitMetrics.Compute(names, [1, 0], [1, 0, 1, 0]));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Multi_task_score_matches_the_reference(int seed)
    {
        var r = new Random(seed);
        var cases = Enumerable.Range(0, 10).Select(_ =>
        {
            int n = r.Next(20, 600);
            var expr = Enumerable.Range(0, n).Select(_ => r.NextDouble() < 0.1 ? -1 : r.Next(8)).ToArray();
            // Sometimes a class absent from both, which the 8-class sum still counts as 0.
            if (r.NextDouble() < 0.5) expr = expr.Select(e => e == 7 ? 0 : e).ToArray();
            var pred = expr.Select(e => e >= 0 && r.NextDouble() < 0.5 ? e : r.Next(r.NextDouble() < 0.5 ? 7 : 8)).ToArray();
            return (Va: RandomVa(r, n), Au: RandomAu(r, AbawActionUnits.Since2021, n), Expr: expr, ExprPred: pred);
        }).ToList();
        var reference = Run(new { mtl = cases.Select(c => new { va = Json(c.Va), au = Json(c.Au), expr_truth = c.Expr, expr_pred = c.ExprPred }) }).GetProperty("mtl");
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var score = MultiTaskScore.Combine(
                ValenceArousalMetrics.Compute(c.Va.TruthV, c.Va.TruthA, c.Va.PredV, c.Va.PredA),
                ExpressionMetrics.Compute(c.Expr, c.ExprPred, 8), // its own MacroF1 averages present classes; the score uses all 8
                ActionUnitMetrics.Compute(c.Au.Names, c.Au.Truth, c.Au.Pred));
            AssertClose(reference[i].GetProperty("va").GetDouble(), score.ValenceArousal, Tolerance, $"case {i} VA");
            AssertClose(reference[i].GetProperty("expr").GetDouble(), score.Expression, Tolerance, $"case {i} expression");
            AssertClose(reference[i].GetProperty("au").GetDouble(), score.ActionUnits, Tolerance, $"case {i} AU");
            AssertClose(reference[i].GetProperty("total").GetDouble(), score.Total, Tolerance, $"case {i} total");
        }
        Assert.Throws<ArgumentException>(() => MultiTaskScore.Combine(
            ValenceArousalMetrics.Compute([0.1f, 0.2f], [0.1f, 0.3f], [0.1f, 0.2f], [0.2f, 0.1f]),
            ExpressionMetrics.Compute([0, 1], [0, 1], 7),
            ActionUnitMetrics.Compute(["AU1"], [1, 0], [1, 0])));
    }

    [Fact]
    public void Thresholds_mark_an_AU_active_strictly_above_its_threshold()
    {
        float[] p = [0.2f, 0.5f, 0.51f, 0.9f, 0.5f, 0.3f];
        Assert.Equal(new sbyte[] { 0, 0, 1, 1, 0, 0 }, ActionUnitThresholds.Apply(p, 2));
        Assert.Equal(new sbyte[] { 1, 0, 1, 1, 1, 0 }, ActionUnitThresholds.Apply(p, 2, [0.1f, 0.6f]));
        Assert.Throws<ArgumentException>(() => ActionUnitThresholds.Apply(p, 4));
        Assert.Throws<ArgumentException>(() => ActionUnitThresholds.Apply(p, 2, [0.5f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionUnitThresholds.Apply(p, 2, [0.5f, 1.5f]));
        var e = Assert.Throws<ArgumentException>(() => ActionUnitThresholds.Apply([0.1f, 0.2f, float.NaN, 0.4f], 2));
        Assert.Contains("frame 2, AU 1", e.Message);
    }
}
