using VideoFer.Datasets.AffWild2;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Cli.Presentation;
using VideoFer.Metrics;
using VideoFer.Scoring;
using VideoFer.Submissions;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer score --gt DIR --pred DIR|CSV`: scores ABAW expression predictions like the organisers
/// (accuracy, macro F1, S = 0.67 F1 + 0.33 Acc, per-class F1, confusion matrix).</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var gt = new Option<string>("--gt")
        {
            Description = "Ground truth: a folder of <stem>.txt annotation files (e.g. Validation_Set), or an Aff-Wild2 root whose validation split is used.",
            Required = true,
        };
        var pred = new Option<string>("--pred")
        {
            Description = "Predictions: a folder of <stem>.txt files (ABAW 2020-2022 format) or a 2024 submission .csv. " +
                          "Every ground-truth video needs one prediction per frame; a count off by one frame is tolerated " +
                          "(as the organisers did): the frames both have are scored.",
            Required = true,
        };
        var classes = new Option<int?>("--classes") { Description = "Class set, 7 or 8 (default: from the ground-truth header). Every header must match." };
        var allClasses = new Option<bool>("--all-classes")
        {
            Description = "Average F1 over every class of the set; by default over the classes present in truth or predictions, as scikit-learn's f1_score(average=\"macro\") and the ABAW scripts do.",
        };
        var png = new Option<string?>("--png") { Description = "Also draw the confusion matrix (row-normalised, with counts) to this PNG file." };
        var task = new Option<string>("--task")
        {
            Description = "expr (expressions), va (valence-arousal: CCC of each and their mean) or au (action units: F1 per AU, mean F1, " +
                          "accuracy, and the edition's score). For va and au, --gt is an Aff-Wild2 root and --pred a folder of <stem>.txt " +
                          "files in the task's annotation format or a 2024 submission .csv.",
            DefaultValueFactory = _ => "expr",
        };
        var split = new Option<string>("--split") { Description = "With --task va or au: the split of --gt scored.", DefaultValueFactory = _ => "validation" };

        var command = new Command("score", "Score predictions against Aff-Wild2 annotations: expressions (Acc, F1, S, per-class F1, confusion matrix), " +
                                           "valence-arousal (CCC) or action units (F1).");
        foreach (var o in new Option[] { gt, pred, classes, allClasses, png, task, split, GlobalOptions.Json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            Datasets.AbawTasks chosen;
            try { chosen = Datasets.AbawTaskNames.Parse(parse.GetValue(task)!); }
            catch (VideoFerException e) { throw new VideoFerException("--task" + e.Message["tasks".Length..]); }
            if (chosen is not (Datasets.AbawTasks.Expression or Datasets.AbawTasks.ValenceArousal or Datasets.AbawTasks.ActionUnits))
                throw new VideoFerException($"--task {parse.GetValue(task)}: score one task at a time (expr, va or au)");
            if (chosen != Datasets.AbawTasks.Expression)
            {
                foreach (var o in new Option[] { classes, allClasses, png })
                    if (parse.GetResult(o) is { Implicit: false }) throw new VideoFerException($"{o.Name} applies to --task expr");
                return ScoreTask(chosen, parse.GetValue(gt)!, parse.GetValue(pred)!, parse.GetValue(split)!, parse.GetValue(GlobalOptions.Json));
            }
            if (parse.GetResult(split) is { Implicit: false }) throw new VideoFerException("--split applies to --task va or au");
            int? classCount = parse.GetValue(classes);
            if (classCount is not (null or 7 or 8))
                throw new VideoFerException($"--classes must be 7 or 8, not {classCount}");
            var average = parse.GetValue(allClasses) ? F1Average.AllClasses : F1Average.PresentLabels;
            var report = SubmissionScorer.Score(parse.GetValue(gt)!, parse.GetValue(pred)!, classCount, average);
            string? pngPath = parse.GetValue(png);
            if (pngPath != null)
                MetricsView.SaveConfusionPng(report.Metrics, pngPath);
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(ToJson(report, pngPath));
            else
                PrintTables(report, pngPath);
            return CommandRunner.ExitOk;
        });
        return command;
    }

    /// <summary>VA or AU predictions against the annotations of one split of an Aff-Wild2 copy.</summary>
    static int ScoreTask(Datasets.AbawTasks task, string gt, string pred, string split, bool json)
    {
        var reader = Datasets.AffWild2.AffWild2Reader.Open(gt, tasks: task);
        if ((reader.Tasks & task) == 0)
            throw new VideoFerException($"{gt}: has no {Datasets.AbawTaskNames.Name(task)} annotations");
        if (!reader.Layout.Splits.Contains(split))
            throw new VideoFerException($"{gt}: has no '{split}' split (it has: {string.Join(", ", reader.Layout.Splits)})");
        var truth = reader.LoadSplit(split);
        var edition = reader.Layout.Edition;
        var output = new Dictionary<string, object?> { ["task"] = Datasets.AbawTaskNames.Name(task), ["edition"] = edition.Name(), ["split"] = split };
        IReadOnlyList<ToleratedCount> tolerated;
        IReadOnlyList<string> unused;
        if (task == Datasets.AbawTasks.ValenceArousal)
        {
            var report = ValenceArousalScorer.Score(truth, pred, edition);
            output["videos"] = report.Videos.Count;
            output["frames"] = report.Metrics.Frames;
            output["ccc_valence"] = report.Metrics.ValenceCcc;
            output["ccc_arousal"] = report.Metrics.ArousalCcc;
            output["score"] = report.Score;
            (tolerated, unused) = (report.Tolerated, report.UnusedPredictions);
            if (!json)
                AnsiConsole.MarkupLine(Markup.Escape($"Scored {report.Metrics.Frames} annotated frames of {report.Videos.Count} videos ({edition.Name()}; frames annotated -5 excluded): " +
                    $"CCC valence {report.Metrics.ValenceCcc:0.0000}, arousal {report.Metrics.ArousalCcc:0.0000}, mean (the VA score) {report.Score:0.0000}"));
        }
        else
        {
            var report = ActionUnitScorer.Score(truth, pred, edition);
            var m = report.Metrics;
            output["videos"] = report.Videos.Count;
            output["frames"] = m.Frames;
            output["mean_f1"] = m.MeanF1;
            output["accuracy"] = m.Accuracy;
            output["score"] = report.Score;
            output["per_au"] = m.Names.Select((n, j) => new Dictionary<string, object> { ["au"] = n, ["f1"] = m.F1[j], ["precision"] = m.Precision[j], ["recall"] = m.Recall[j] }).ToArray();
            (tolerated, unused) = (report.Tolerated, report.UnusedPredictions);
            if (!json)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Scored {m.Frames} annotated frames of {report.Videos.Count} videos ({edition.Name()}; frames annotated -1 excluded): " +
                    $"mean F1 {m.MeanF1:0.0000}, accuracy {m.Accuracy:0.0000}, score {report.Score:0.0000} " +
                    (Metrics.AbawTaskScores.UsesAccuracy(edition) ? "(0.5 F1 + 0.5 accuracy)" : "(mean F1)")));
                var table = new Table().AddColumns("AU", "F1", "precision", "recall");
                for (int j = 0; j < m.Names.Count; j++)
                    table.AddRow(m.Names[j], m.F1[j].ToString("0.0000", CultureInfo.InvariantCulture), m.Precision[j].ToString("0.0000", CultureInfo.InvariantCulture), m.Recall[j].ToString("0.0000", CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
            }
        }
        output["unused_predictions"] = unused;
        output["predictions"] = Path.GetFullPath(pred);
        if (json) Console.WriteLine(JsonOutput.Serialize(output));
        else
        {
            foreach (var t in tolerated)
                AnsiConsole.MarkupLine(Markup.Escape($"note: {t.Stem}: {t.PredictedFrames} predictions for {t.AnnotatedFrames} annotated frames; tolerated, {Math.Min(t.PredictedFrames, t.AnnotatedFrames)} frames scored."));
            if (unused.Count > 0)
                AnsiConsole.MarkupLine(Markup.Escape($"note: {unused.Count} predicted videos have no ground truth and were not scored: {string.Join(", ", unused.Take(10))}"));
        }
        return CommandRunner.ExitOk;
    }

    static string ToJson(ScoreReport report, string? png)
    {
        var json = MetricsView.ToJson(report.Metrics);
        json["videos"] = report.Videos;
        json["tolerated_count_mismatches"] = report.Tolerated.Select(t => new Dictionary<string, object>
        {
            ["stem"] = t.Stem, ["annotated_frames"] = t.AnnotatedFrames, ["predicted_frames"] = t.PredictedFrames,
        }).ToArray();
        json["unused_predictions"] = report.UnusedPredictions;
        json["ground_truth"] = report.GroundTruthSource;
        json["predictions"] = report.PredictionSource;
        json["png"] = png == null ? null : Path.GetFullPath(png);
        return JsonOutput.Serialize(json);
    }

    static void PrintTables(ScoreReport report, string? png)
    {
        var m = report.Metrics;
        AnsiConsole.MarkupLine(Markup.Escape($"Scored {m.Frames} annotated frames of {report.Videos} videos ({m.ClassCount} classes; frames annotated -1 excluded)."));
        MetricsView.PrintTables(m);
        foreach (var t in report.Tolerated)
            AnsiConsole.MarkupLine(Markup.Escape(
                $"note: {t.Stem}: {t.PredictedFrames} predictions for {t.AnnotatedFrames} annotated frames; " +
                $"tolerated (off by {SubmissionScorer.ToleratedFrameDifference}, as the organisers allowed), {Math.Min(t.PredictedFrames, t.AnnotatedFrames)} frames scored."));
        if (report.UnusedPredictions.Count > 0)
            AnsiConsole.MarkupLine(Markup.Escape($"note: {report.UnusedPredictions.Count} predicted videos have no ground truth and were not scored: {string.Join(", ", report.UnusedPredictions.Take(10))}{(report.UnusedPredictions.Count > 10 ? ", ..." : "")}"));
        if (png != null)
            AnsiConsole.MarkupLine(Markup.Escape($"confusion matrix plot: {Path.GetFullPath(png)}"));
    }
}
