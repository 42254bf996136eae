using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Metrics;
using VideoFer.Scoring;
using VideoFer.Submissions;

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

        var command = new Command("score", "Score expression predictions against Aff-Wild2 annotations: Acc, F1, S, per-class F1, confusion matrix.");
        foreach (var o in new Option[] { gt, pred, classes, allClasses, png, GlobalOptions.Json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            int? classCount = parse.GetValue(classes);
            if (classCount is not (null or 7 or 8))
                throw new VideoFerException($"--classes must be 7 or 8, not {classCount}");
            var average = parse.GetValue(allClasses) ? F1Average.AllClasses : F1Average.PresentLabels;
            var report = SubmissionScorer.Score(parse.GetValue(gt)!, parse.GetValue(pred)!, classCount, average);
            string? pngPath = parse.GetValue(png);
            if (pngPath != null)
                ConfusionPlot.Save(report.Metrics, pngPath);
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(ToJson(report, pngPath));
            else
                PrintTables(report, pngPath);
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static string ToJson(ScoreReport report, string? png)
    {
        var m = report.Metrics;
        var names = ExpressionClasses.Names(m.ClassCount);
        var json = new Dictionary<string, object?>
        {
            ["accuracy"] = m.Accuracy,
            ["f1"] = m.MacroF1,
            ["s"] = m.Score,
            ["per_class_f1"] = m.F1,
            ["precision"] = m.Precision,
            ["recall"] = m.Recall,
            ["frames"] = m.Frames,
            ["videos"] = report.Videos,
            ["class_count"] = m.ClassCount,
            ["classes"] = names,
            ["f1_classes"] = m.AveragedClasses.Select(c => names[c]).ToArray(),
            ["confusion"] = m.Confusion.ToRows(),
            ["tolerated_count_mismatches"] = report.Tolerated.Select(t => new Dictionary<string, object>
            {
                ["stem"] = t.Stem, ["annotated_frames"] = t.AnnotatedFrames, ["predicted_frames"] = t.PredictedFrames,
            }).ToArray(),
            ["unused_predictions"] = report.UnusedPredictions,
            ["ground_truth"] = report.GroundTruthSource,
            ["predictions"] = report.PredictionSource,
            ["png"] = png == null ? null : Path.GetFullPath(png),
        };
        return JsonSerializer.Serialize(json);
    }

    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    static void PrintTables(ScoreReport report, string? png)
    {
        var m = report.Metrics;
        var names = ExpressionClasses.Names(m.ClassCount);
        AnsiConsole.MarkupLine(Markup.Escape($"Scored {m.Frames} annotated frames of {report.Videos} videos ({m.ClassCount} classes; frames annotated -1 excluded)."));
        var summary = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        summary.AddRow("Accuracy", F(m.Accuracy));
        summary.AddRow(Markup.Escape($"F1 (macro over {m.AveragedClasses.Count} {(m.AveragedClasses.Count == m.ClassCount ? "classes" : "classes present")})"), F(m.MacroF1));
        summary.AddRow("S = 0.67 F1 + 0.33 Acc", F(m.Score));
        AnsiConsole.Write(summary);

        var perClass = new Table().AddColumn("class");
        foreach (var h in new[] { "precision", "recall", "F1", "true frames", "predicted" })
            perClass.AddColumn(new TableColumn(h).RightAligned());
        for (int c = 0; c < m.ClassCount; c++)
            perClass.AddRow(names[c], F(m.Precision[c]), F(m.Recall[c]), F(m.F1[c]),
                m.Confusion.TrueCount(c).ToString(CultureInfo.InvariantCulture), m.Confusion.PredictedCount(c).ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(perClass);

        // Three-letter column heads keep eight classes within 80 columns.
        var confusion = new Table().Title("confusion matrix (rows: truth, columns: prediction)").AddColumn("truth \\ pred");
        foreach (var n in names)
            confusion.AddColumn(new TableColumn(n[..3]).RightAligned());
        var rows = m.Confusion.ToRows();
        for (int t = 0; t < m.ClassCount; t++)
            confusion.AddRow([names[t], .. rows[t].Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        AnsiConsole.Write(confusion);

        foreach (var t in report.Tolerated)
            AnsiConsole.MarkupLine(Markup.Escape(
                $"note: {t.Stem}: {t.PredictedFrames} predictions for {t.AnnotatedFrames} annotated frames; " +
                $"tolerated (off by {SubmissionScorer.ToleratedFrameDifference}, as the organisers allowed), {Math.Min(t.PredictedFrames, t.AnnotatedFrames)} frames scored."));
        if (report.UnusedPredictions.Count > 0)
            AnsiConsole.MarkupLine(Markup.Escape($"note: {report.UnusedPredictions.Count} predicted videos have no ground truth and were not scored: {string.Join(", ", report.UnusedPredictions.Take(10))}{(report.UnusedPredictions.Count > 10 ? ", ..." : "")}"));
        if (png != null)
            AnsiConsole.MarkupLine(Markup.Escape($"confusion matrix plot: {Path.GetFullPath(png)}"));
    }

    /// <summary>Draws a confusion matrix as a heatmap: colour = share of the true class's frames, text = count.</summary>
    static class ConfusionPlot
    {
        public static void Save(ClassificationMetrics m, string path)
        {
            var names = ExpressionClasses.Names(m.ClassCount);
            int n = m.ClassCount;
            var rows = m.Confusion.ToRows();
            // Row-normalised so rare classes are as readable as Neutral; row 0 drawn at the top.
            var shares = new double[n, n];
            for (int t = 0; t < n; t++)
            {
                double total = rows[t].Sum();
                for (int p = 0; p < n; p++)
                    shares[t, p] = total == 0 ? 0 : rows[t][p] / total;
            }
            var plot = new ScottPlot.Plot();
            var heatmap = plot.Add.Heatmap(shares);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            // Extent gives the centres of the corner cells: cell (t, p) is centred on x = p, y = n - 1 - t.
            heatmap.Extent = new ScottPlot.CoordinateRect(0, n - 1, 0, n - 1);
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            plot.Add.ColorBar(heatmap);
            for (int t = 0; t < n; t++)
                for (int p = 0; p < n; p++)
                {
                    var label = plot.Add.Text(rows[t][p].ToString(CultureInfo.InvariantCulture), p, n - 1 - t);
                    label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                    label.LabelFontSize = 12;
                    label.LabelFontColor = shares[t, p] > 0.6 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
                }
            var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            plot.Axes.Bottom.SetTicks(positions, names.ToArray());
            plot.Axes.Left.SetTicks(positions, names.Reverse().ToArray());
            plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
            plot.XLabel("predicted");
            plot.YLabel("true");
            plot.Title($"Acc {F(m.Accuracy)}  F1 {F(m.MacroF1)}  S {F(m.Score)}  ({m.Frames} frames)");
            AtomicFile.Write(path, temp => plot.SavePng(temp, 800, 700));
        }
    }
}
