using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoFer.Datasets;
using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;
using VideoFer.Training.Data;
using VideoFer.Training.Evaluation;
using VideoFer.Training.Objectives;
using static TorchSharp.torch;

namespace VideoFer.Training.Tests;

/// <summary>The paper's network with valence-arousal and action unit heads (ABAW's other two tasks): the loss against
/// PyTorch and numpy, masking of unlabelled frames, and a multi-task run on the synthetic data, whose checkpoint
/// records its tasks and evaluates to the trainer's own validation figures.</summary>
[Collection("synthetic")]
public sealed class MultiTaskTests(SyntheticData data) : TempFolderTest
{
    static TrainConfig Config(string vaLoss = "ccc") => TrainConfigLoader.Load(null,
        ["stage=clips", "affwild2=/nonexistent", "tasks=expr,va,au", "expr_weight=1", "va_weight=0.5", "au_weight=2", $"va_loss={vaLoss}"]);

    /// <summary>Random outputs and partly missing labels of every task: the loss equals PyTorch 1.13's cross-entropy
    /// and BCE (with positive weights) and numpy's CCC over exactly the labelled rows.</summary>
    [Theory]
    [InlineData("ccc", 1)]
    [InlineData("ccc", 2)]
    [InlineData("mse", 3)]
    public void TheLossIsTheReferencesOnTheLabelledFramesOfEachTask(string vaLoss, int seed)
    {
        const int rows = 40, classes = 7, aus = 5;
        var layout = new TaskOutputs(AbawTasks.All, classes, aus);
        var rng = new Random(seed);
        var outputs = new float[rows * layout.Width];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = (float)(rng.NextDouble() * 4 - 2);
        for (int r = 0; r < rows; r++) // the VA head's outputs are in [-1, 1] (tanh)
            for (int d = 0; d < 2; d++) outputs[r * layout.Width + layout.ValenceArousalStart + d] = (float)(rng.NextDouble() * 2 - 1);
        var labels = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() < 0.3 ? -1L : rng.Next(classes)).ToArray();
        var va = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            bool labelled = rng.NextDouble() < 0.6;
            va[2 * r] = labelled ? (float)(rng.NextDouble() * 2 - 1) : float.NaN;
            va[2 * r + 1] = labelled ? (float)(rng.NextDouble() * 2 - 1) : float.NaN;
        }
        var au = new float[rows * aus];
        for (int r = 0; r < rows; r++)
        {
            bool labelled = rng.NextDouble() < 0.7;
            for (int j = 0; j < aus; j++) au[r * aus + j] = labelled ? (rng.NextDouble() < 0.3 ? 1 : 0) : -1;
        }
        float[] positiveWeights = [1f, 2.5f, 4f, 1f, 7f];

        var config = Config(vaLoss);
        var loss = new MultiTaskLoss(layout, config, positiveWeights);
        var (total, expr, vaLossValue, auLoss) = loss.Compute(tensor(outputs, [2, rows / 2, layout.Width]),
            tensor(labels, [2, rows / 2]), tensor(va, [2, rows / 2, 2]), tensor(au, [2, rows / 2, aus]));

        var reference = Reference(new
        {
            outputs = Enumerable.Range(0, rows).Select(r => outputs.Skip(r * layout.Width).Take(layout.Width).ToArray()).ToArray(),
            labels,
            va = Enumerable.Range(0, rows).Select(r => float.IsNaN(va[2 * r]) ? null : new[] { va[2 * r], va[2 * r + 1] }).ToArray(),
            aus = Enumerable.Range(0, rows).Select(r => au.Skip(r * aus).Take(aus).ToArray()).ToArray(),
            classes, au_count = aus, pos_weight = positiveWeights,
            weights = new { expr = 1.0, va = 0.5, au = 2.0 }, va_loss = vaLoss,
        });
        Assert.Equal(reference.GetProperty("expr").GetDouble(), expr, 5);
        Assert.Equal(reference.GetProperty("va").GetDouble(), vaLossValue, 5);
        Assert.Equal(reference.GetProperty("au").GetDouble(), auLoss, 5);
        Assert.Equal(reference.GetProperty("total").GetDouble(), total.item<float>(), 4);
    }

    /// <summary>A batch with no label for a task adds nothing for it (not NaN, as a mean over no frame would), and a
    /// frame's outputs for a task it has no label for get no gradient.</summary>
    [Fact]
    public void ATaskWithoutLabelsAddsNothingAndUnlabelledFramesGetNoGradient()
    {
        var layout = new TaskOutputs(AbawTasks.All, 7, 3);
        var loss = new MultiTaskLoss(layout, Config());
        var outputs = randn([1, 4, layout.Width]).requires_grad_();
        var noLabels = full([1, 4], -1L, dtype: ScalarType.Int64);
        var va = full([1, 4, 2], float.NaN);
        va[0, 1] = tensor(new[] { 0.5f, -0.2f });
        va[0, 2] = tensor(new[] { -0.5f, 0.3f });
        var (total, expr, vaValue, au) = loss.Compute(outputs, noLabels, va, null);
        Assert.True(double.IsNaN(expr) && double.IsNaN(au), $"expr {expr}, au {au}");
        Assert.True(double.IsFinite(vaValue));
        total.backward();
        var grad = outputs.grad!;
        Assert.Equal(0f, grad.narrow(2, 0, 7).abs().sum().item<float>()); // no expression label anywhere
        Assert.Equal(0f, grad[0, 0].abs().sum().item<float>());           // frames 0 and 3 have no label at all
        Assert.Equal(0f, grad[0, 3].abs().sum().item<float>());
        Assert.True(grad[0, 1].narrow(0, 7, 2).abs().sum().item<float>() > 0);
    }

    /// <summary>A run on all three tasks of the synthetic data: its loss falls, every validation writes the VA CCC and AU
    /// F1, best.pth records the tasks and the AU list, and evaluating best.pth gives the validation figures of its iteration.</summary>
    [Fact]
    public void AMultiTaskRunLearnsRecordsItsTasksAndEvalReproducesItsValidation()
    {
        string run = Path.Combine(dir, "mtl");
        var config = data.Tiny("tasks=expr,va,au", "optimizer=adam", "lr=0.002", "batch_size=4", "iterations=60", "checkpoint_every=30",
            "eval_every=1", "eval_max_videos=0", "seed=4");
        var outcome = Trainer.Create(config, run).Run();
        Assert.Equal(60, outcome.Iteration);
        Assert.Equal("multi-task score (S + VA CCC + AU score)", outcome.BestScoreName);

        var losses = File.ReadAllLines(Path.Combine(run, "log.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(60, losses.Count);
        Assert.True(losses.TakeLast(15).Average() < 0.85 * losses.Take(15).Average(), string.Join(", ", losses.Select(l => l.ToString("0.00"))));

        var rows = File.ReadAllLines(Path.Combine(run, "validation_tasks.csv"));
        Assert.Equal("iteration,va_ccc_valence,va_ccc_arousal,va_ccc,au_f1,au_accuracy,au_score,selection", rows[0]);
        Assert.Equal(3, rows.Length);
        var info = Checkpoint.ReadInfo(Path.Combine(run, "best.pth"))!;
        Assert.Equal("expr,va,au", info.Config.Tasks);
        Assert.Equal(["AU1", "AU2", "AU4", "AU6", "AU12", "AU15", "AU20", "AU25"], info.Config.ActionUnits); // the 2020 layout's 8 AUs
        long bestIteration = VideoFer.Training.Runs.TrainingCheckpoint.IterationOf(Path.Combine(run, "best.pth"));
        var row = rows.Skip(1).Select(r => r.Split(',')).Single(f => f[0] == bestIteration.ToString(CultureInfo.InvariantCulture));

        var (tracks, edition) = TrainingSources.LoadAffWild2(data.Root, [], "validation");
        var result = CheckpointEvaluation.Evaluate(Path.Combine(run, "best.pth"), tracks, CPU).Result;
        // Eval runs the checkpoint with batch norm folded into the convolutions: outputs agree to float rounding.
        Assert.Equal(double.Parse(row[3], CultureInfo.InvariantCulture), result.ValenceArousal!.MeanCcc, 5);
        Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), result.ActionUnits!.MeanF1, 3);
        Assert.Equal(double.Parse(row[6], CultureInfo.InvariantCulture), result.ActionUnits.Score(edition), 3);
        Assert.All(result.Tracks.Where(t => t.ValenceArousal != null).SelectMany(t => t.ValenceArousal!),
            v => Assert.True(v[0] is >= -1 and <= 1 && v[1] is >= -1 and <= 1));
    }

    [Theory]
    [InlineData("tasks=expr,gaze", "key 'tasks': unknown task 'gaze' (known: expr, va, au)")]
    [InlineData("select_by=au", "key 'select_by': 'au' is not among the tasks trained (expr,va)")]
    [InlineData("va_weight=-1", "key 'va_weight': expected a non-negative number")]
    public void BadTaskSettingsNameTheirKey(string setting, string message)
    {
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(null, ["stage=clips", "affwild2=/x", "tasks=expr,va", setting]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void TheFramesStageRefusesValenceArousalAndActionUnits()
    {
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(null, ["stage=frames", "affectnet=/x", "tasks=expr,va"]));
        Assert.Contains("key 'tasks': valence-arousal and action units are trained in the clips stage", e.Message);
    }

    static JsonElement Reference(object input)
    {
        string file = Path.Combine(Path.GetTempPath(), $"videofer-mtl-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(input));
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(Repo.Root, "reference", "multitask_loss.py"));
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"multitask_loss.py failed: {error.Result}");
            return JsonDocument.Parse(output.Result).RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
