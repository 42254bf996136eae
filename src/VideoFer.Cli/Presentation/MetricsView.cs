using System.Globalization;
using Spectre.Console;
using VideoFer.Metrics;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Cli.Presentation;

/// <summary>How expression metrics are shown: tables, a JSON object, and a confusion-matrix PNG.
/// Shared by `score`, `eval` and `runs show`.</summary>
public static class MetricsView
{
    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The metric fields of the JSON output (callers add their own context fields).</summary>
    public static Dictionary<string, object?> ToJson(ClassificationMetrics m)
    {
        var names = ExpressionClasses.Names(m.ClassCount);
        return new Dictionary<string, object?>
        {
            ["accuracy"] = m.Accuracy,
            ["f1"] = m.MacroF1,
            ["s"] = m.Score,
            ["per_class_f1"] = m.F1,
            ["precision"] = m.Precision,
            ["recall"] = m.Recall,
            ["frames"] = m.Frames,
            ["class_count"] = m.ClassCount,
            ["classes"] = names,
            ["f1_classes"] = m.AveragedClasses.Select(c => names[c]).ToArray(),
            ["confusion"] = m.Confusion.ToRows(),
        };
    }

    /// <summary>Summary (Acc, F1, S), per-class precision/recall/F1, and the confusion matrix.</summary>
    public static void PrintTables(ClassificationMetrics m)
    {
        var names = ExpressionClasses.Names(m.ClassCount);
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

        var confusion = new Table().Title("confusion matrix (rows: truth, columns: prediction)").AddColumn("truth \\ pred");
        foreach (var n in names)
            confusion.AddColumn(new TableColumn(n).RightAligned());
        var rows = m.Confusion.ToRows();
        for (int t = 0; t < m.ClassCount; t++)
            confusion.AddRow([names[t], .. rows[t].Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        AnsiConsole.Write(confusion);
    }

    /// <summary>Draws a confusion matrix as a heatmap: colour = share of the true class's frames, text = count.</summary>
    public static void SaveConfusionPng(ClassificationMetrics m, string path)
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
        heatmap.Extent = new ScottPlot.CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
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
