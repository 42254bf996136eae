using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>The written VA and AU labels agree with the written expressions (computed from the files, with
/// tolerant bars), follow the intensity ramps, vary a little between people, and can be learnt from pixels.</summary>
[Collection(TaskLabelCollection.Name)]
public class TaskLabelConsistencyTests(TaskLabelFixture data)
{
    const int Neutral = 0, Anger = 1, Disgust = 2, Fear = 3, Happiness = 4, Sadness = 5, Surprise = 6;
    static readonly string[] ClassNames = ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise"];

    IEnumerable<TaskLabelFixture.Frame> WithVa(IReadOnlyList<TaskLabelFixture.Frame> frames) =>
        frames.Where(f => f.Expression >= 0 && !double.IsNaN(f.Valence));

    IEnumerable<TaskLabelFixture.Frame> WithAu(IReadOnlyList<TaskLabelFixture.Frame> frames) =>
        frames.Where(f => f.Expression >= 0 && f.Units != null);

    [Fact]
    public void MeanValenceAndArousalOfEachExpressionSitWhereTheCircumplexPutsIt()
    {
        var frames = WithVa(data.Frames2021).ToArray();
        double V(int c) => frames.Where(f => f.Expression == c).Average(f => f.Valence);
        double A(int c) => frames.Where(f => f.Expression == c).Average(f => f.Arousal);
        string table = string.Join("; ", Enumerable.Range(0, 7).Select(c => $"{ClassNames[c]} ({V(c):F2}, {A(c):F2})"));

        Assert.True(V(Happiness) > 0.4, table);
        Assert.InRange(V(Neutral), -0.1, 0.1);
        Assert.True(V(Sadness) < -0.3, table);
        Assert.True(V(Happiness) > V(Neutral) + 0.3 && V(Neutral) > V(Sadness) + 0.3, table);
        foreach (int c in new[] { Anger, Disgust, Fear })
            Assert.True(V(c) < -0.2, table);

        Assert.InRange(A(Neutral), -0.1, 0.1);
        Assert.True(A(Surprise) > 0.4 && A(Anger) > 0.3 && A(Fear) > 0.3, table);
        Assert.True(A(Sadness) < -0.1, table);
        Assert.True(A(Surprise) > A(Happiness) && A(Happiness) > A(Neutral) && A(Neutral) > A(Sadness), table);
    }

    /// <summary>Share of the frames where an AU is active that carry one of <paramref name="classes"/>, and
    /// share of the frames of the first class where it is active.</summary>
    static (double Precision, double Recall, int Active) Agreement(IReadOnlyList<TaskLabelFixture.Frame> frames, string unit, params int[] classes)
    {
        var active = frames.Where(f => f.Units![unit] == 1).ToArray();
        var main = frames.Where(f => f.Expression == classes[0]).ToArray();
        return (active.Count(f => classes.Contains(f.Expression)) / (double)Math.Max(1, active.Length),
                main.Count(f => f.Units![unit] == 1) / (double)Math.Max(1, main.Length), active.Length);
    }

    [Theory]
    [InlineData(2021, "AU12", new[] { Happiness })]
    [InlineData(2021, "AU6", new[] { Happiness })]
    [InlineData(2021, "AU4", new[] { Anger, Sadness, Fear })]
    [InlineData(2021, "AU7", new[] { Anger })]
    [InlineData(2021, "AU15", new[] { Sadness })]
    [InlineData(2021, "AU10", new[] { Disgust })]
    [InlineData(2021, "AU23", new[] { Anger })]
    [InlineData(2021, "AU24", new[] { Anger })]
    [InlineData(2021, "AU26", new[] { Surprise })]
    [InlineData(2021, "AU1", new[] { Surprise, Sadness, Fear })]
    [InlineData(2021, "AU2", new[] { Surprise, Fear })]
    [InlineData(2020, "AU20", new[] { Fear })]
    [InlineData(2020, "AU4", new[] { Sadness, Anger, Fear })]
    [InlineData(2020, "AU1", new[] { Fear, Sadness, Surprise })]
    public void AnActionUnitIsActiveMostlyInTheExpressionsThatMoveIt(int edition, string unit, int[] classes)
    {
        var frames = WithAu(edition == 2020 ? data.Frames2020 : data.Frames2021).ToArray();
        var (precision, recall, active) = Agreement(frames, unit, classes);
        string what = $"{unit}: {active} active frames, {precision:P0} of them in {string.Join("/", classes.Select(c => ClassNames[c]))}, active in {recall:P0} of {ClassNames[classes[0]]} frames";
        Assert.True(active > 50, what);
        Assert.True(precision > 0.85, what);
        Assert.True(recall > 0.6, what);
    }

    [Fact]
    public void TheLipsPartInOpenMouthedExpressionsAndNeutralFacesShowAlmostNoAction()
    {
        var frames = WithAu(data.Frames2021).ToArray();
        foreach (int c in new[] { Surprise, Fear, Happiness })
        {
            var of = frames.Where(f => f.Expression == c).ToArray();
            Assert.True(of.Count(f => f.Units!["AU25"] == 1) > 0.75 * of.Length, $"AU25 in {ClassNames[c]}");
        }
        // Talking parts the lips of a neutral face now and then (AU25); nothing else moves.
        var neutral = frames.Where(f => f.Expression == Neutral).ToArray();
        double other = neutral.Count(f => f.Units!.Any(u => u.Key != "AU25" && u.Value == 1)) / (double)neutral.Length;
        double lips = neutral.Count(f => f.Units!["AU25"] == 1) / (double)neutral.Length;
        Assert.True(other < 0.02, $"{other:P1} of neutral frames have an AU other than AU25");
        Assert.InRange(lips, 0.01, 0.3);
    }

    static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public void LabelsFollowTheIntensityRampsNotTheClassAlone()
    {
        var frames = WithVa(data.Frames2021).ToArray();
        var happy = frames.Where(f => f.Expression == Happiness).ToArray();
        var sad = frames.Where(f => f.Expression == Sadness).ToArray();
        var surprise = frames.Where(f => f.Expression == Surprise).ToArray();
        double happyValence = Correlation(happy.Select(f => f.Intensity).ToArray(), happy.Select(f => f.Valence).ToArray());
        double sadValence = Correlation(sad.Select(f => f.Intensity).ToArray(), sad.Select(f => f.Valence).ToArray());
        double surpriseArousal = Correlation(surprise.Select(f => f.Intensity).ToArray(), surprise.Select(f => f.Arousal).ToArray());
        Assert.True(happyValence > 0.8, $"happiness: intensity and valence correlate {happyValence:F2}");
        Assert.True(sadValence < -0.8, $"sadness: intensity and valence correlate {sadValence:F2}");
        Assert.True(surpriseArousal > 0.8, $"surprise: intensity and arousal correlate {surpriseArousal:F2}");

        // An AU switches on part-way up the ramp: active frames are the more intense ones of their class.
        var happyAu = WithAu(data.Frames2021).Where(f => f.Expression == Happiness).ToArray();
        var on = happyAu.Where(f => f.Units!["AU12"] == 1).ToArray();
        var off = happyAu.Where(f => f.Units!["AU12"] == 0).ToArray();
        Assert.True(on.Length > 20 && off.Length > 5, $"{on.Length} frames with AU12, {off.Length} without");
        Assert.True(on.Average(f => f.Intensity) > off.Average(f => f.Intensity) + 0.3,
            $"AU12 on at mean intensity {on.Average(f => f.Intensity):F2}, off at {off.Average(f => f.Intensity):F2}");

        // Valence moves with the face along a track: small steps between consecutive annotated frames, larger
        // ones only over the short onsets, and never from one side of the circumplex to the other.
        var steps = new List<double>();
        foreach (var track in data.Frames2021.GroupBy(f => f.Stem))
        {
            var list = track.ToArray();
            for (int i = 1; i < list.Length; i++)
                if (!double.IsNaN(list[i].Valence) && !double.IsNaN(list[i - 1].Valence))
                    steps.Add(Math.Abs(list[i].Valence - list[i - 1].Valence));
        }
        steps.Sort();
        double median = steps[steps.Count / 2], p95 = steps[(int)(steps.Count * 0.95)];
        Assert.True(median < 0.05 && p95 < 0.2 && steps[^1] < 0.7, $"steps: median {median:F3}, 95th percentile {p95:F3}, largest {steps[^1]:F3}");
    }

    [Fact]
    public void PeopleDifferALittleInHowTheirFacesAreRead()
    {
        // Per track, the mean valence of its neutral frames: close to 0 for everyone, but not the same value.
        var means = WithVa(data.Frames2021).Where(f => f.Expression == Neutral).GroupBy(f => f.Stem)
            .Where(g => g.Count() >= 10).Select(g => g.Average(f => f.Valence)).ToArray();
        Assert.True(means.Length >= 10, $"{means.Length} tracks with neutral frames");
        double mean = means.Average(), spread = Math.Sqrt(means.Average(m => (m - mean) * (m - mean)));
        Assert.InRange(spread, 0.01, 0.1);
        Assert.All(means, m => Assert.InRange(m, -0.15, 0.15));
        // Apex happiness is read differently across people too (gains differ), by a bounded amount.
        var apex = WithVa(data.Frames2021).Where(f => f.Expression == Happiness && f.Intensity > 0.85).GroupBy(f => f.Stem)
            .Where(g => g.Count() >= 5).Select(g => g.Average(f => f.Valence)).ToArray();
        Assert.True(apex.Length >= 3, $"{apex.Length} tracks with apex happiness");
        Assert.True(apex.Max() - apex.Min() > 0.03, string.Join(", ", apex.Select(a => a.ToString("F3", CultureInfo.InvariantCulture))));
        Assert.All(apex, a => Assert.InRange(a, 0.55, 1));
    }

    [Fact]
    public void AffectNetValenceAndArousalComeFromTheSameReading()
    {
        string lists = Path.Combine(data.Root2021, "AffectNet", "Manually_Annotated_file_lists");
        var rows = File.ReadAllLines(Path.Combine(lists, "training.csv")).Skip(1).Concat(File.ReadAllLines(Path.Combine(lists, "validation.csv")))
            .Select(l => l.Split(','))
            .Select(f => (Code: int.Parse(f[6], CultureInfo.InvariantCulture), V: double.Parse(f[7], CultureInfo.InvariantCulture), A: double.Parse(f[8], CultureInfo.InvariantCulture)))
            .ToArray();
        // AffectNet codes: 0 Neutral, 1 Happy, 2 Sad, 3 Surprise, 4 Fear, 5 Disgust, 6 Anger.
        double V(int code) => rows.Where(r => r.Code == code).Average(r => r.V);
        double A(int code) => rows.Where(r => r.Code == code).Average(r => r.A);
        Assert.True(V(1) > 0.4 && V(1) > V(0) + 0.3 && V(0) > V(2) + 0.3, $"happy {V(1):F2}, neutral {V(0):F2}, sad {V(2):F2}");
        Assert.True(A(3) > A(0) + 0.3 && A(6) > A(0) + 0.2 && A(2) < A(0), $"surprise {A(3):F2}, anger {A(6):F2}, neutral {A(0):F2}, sad {A(2):F2}");
        // Not one value per class: intensity and noise spread them.
        var happy = rows.Where(r => r.Code == 1).Select(r => r.V).ToArray();
        Assert.True(happy.Max() - happy.Min() > 0.1);
    }

    /// <summary>A linear probe (scikit-learn, the system Python) trained on the pixels of the training split's
    /// written images and tested on the validation split's: the labels are in the pixels.</summary>
    [Fact]
    public void ALinearProbeOnThePixelsLearnsValenceAndTheDrawnActionUnits()
    {
        const string script = """
            import json, os, sys
            import numpy as np
            from PIL import Image
            from sklearn.linear_model import LogisticRegression, Ridge
            from sklearn.metrics import balanced_accuracy_score
            rows = json.load(open(sys.argv[1]))
            def features(split):
                sel = [r for r in rows if r["validation"] == split]
                x = np.array([np.asarray(Image.open(r["image"]).convert("L").resize((32, 32)), dtype=np.float32).ravel() / 255 for r in sel])
                return x, sel
            xt, rt = features(False)
            xv, rv = features(True)
            mean, std = xt.mean(0), xt.std(0) + 1e-3
            xt, xv = (xt - mean) / std, (xv - mean) / std
            out = {"train": len(rt), "validation": len(rv)}
            for key in ["valence", "arousal"]:
                model = Ridge(alpha=100).fit(xt, [r[key] for r in rt])
                out[key] = float(np.corrcoef([r[key] for r in rv], model.predict(xv))[0, 1])
            for unit in sys.argv[2].split(","):
                yt, yv = [r["units"][unit] for r in rt], [r["units"][unit] for r in rv]
                model = LogisticRegression(C=0.01, max_iter=3000, class_weight="balanced").fit(xt, yt)
                out[unit] = float(balanced_accuracy_score(yv, model.predict(xv)))
            print(json.dumps(out))
            """;
        var frames = data.Frames2020.Where(f => !double.IsNaN(f.Valence) && f.Units != null)
            .Select(f => (f, Image: Path.Combine(data.Root2020, "cropped_aligned", f.Stem, $"{f.Number:D5}.jpg")))
            .Where(p => File.Exists(p.Image))
            .Select(p => new { image = p.Image, validation = p.f.Validation, valence = p.f.Valence, arousal = p.f.Arousal, units = p.f.Units })
            .ToArray();
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("rows.json"), System.Text.Json.JsonSerializer.Serialize(frames));
        File.WriteAllText(dir.Combine("probe.py"), script);
        string[] units = ["AU1", "AU2", "AU6", "AU12", "AU25"];
        var result = System.Text.Json.JsonDocument.Parse(RunPython(dir.Combine("probe.py"), dir.Combine("rows.json"), string.Join(",", units))).RootElement;
        string all = result.ToString();
        Assert.True(result.GetProperty("train").GetInt32() > 1000 && result.GetProperty("validation").GetInt32() > 300, all);
        Assert.True(result.GetProperty("valence").GetDouble() > 0.4, all);
        Assert.True(result.GetProperty("arousal").GetDouble() > 0.2, all);
        foreach (var unit in units)
            Assert.True(result.GetProperty(unit).GetDouble() > 0.6, all);
    }

    static string RunPython(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "the probe did not finish in 3 minutes");
        Assert.True(p.ExitCode == 0, $"python failed ({p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
