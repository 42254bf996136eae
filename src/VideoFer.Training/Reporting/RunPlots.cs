using System.Globalization;
using ScottPlot;
using VideoFer.Training.Runs;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Training.Reporting;

/// <summary>PNG plots of a run: the training loss (raw and a moving average) and validation
/// accuracy, F1 and S per checkpoint. Written to temporary names and renamed.</summary>
public static class RunPlots
{
    public static void Write(RunDirectory run)
    {
        var loss = CsvLog.Read(run.LogFile).Select(r => (X: Parse(r[0]), Y: Parse(r[1]))).ToList();
        if (loss.Count > 0)
        {
            var plot = new Plot();
            var raw = plot.Add.Scatter(loss.Select(p => p.X).ToArray(), loss.Select(p => p.Y).ToArray());
            raw.LegendText = "loss";
            raw.MarkerSize = 0;
            raw.LineWidth = 1;
            raw.Color = raw.Color.WithAlpha(0.35);
            int window = Math.Max(1, loss.Count / 50);
            var smooth = MovingAverage(loss.Select(p => p.Y).ToArray(), window);
            var avg = plot.Add.Scatter(loss.Select(p => p.X).ToArray(), smooth);
            avg.LegendText = $"moving average ({window})";
            avg.MarkerSize = 0;
            avg.LineWidth = 2;
            plot.Title("Training loss");
            plot.XLabel("iteration");
            plot.YLabel("cross-entropy");
            plot.ShowLegend();
            Save(plot, run.LossPlot);
        }
        var val = CsvLog.Read(run.ValidationFile).Select(r => (X: Parse(r[0]), Acc: Parse(r[1]), F1: Parse(r[2]), S: Parse(r[3]))).ToList();
        if (val.Count > 0)
        {
            var plot = new Plot();
            double[] xs = val.Select(v => v.X).ToArray();
            foreach (var (name, ys) in new[] { ("accuracy", val.Select(v => v.Acc)), ("macro F1", val.Select(v => v.F1)), ("S = 0.33 Acc + 0.67 F1", val.Select(v => v.S)) })
            {
                var line = plot.Add.Scatter(xs, ys.ToArray());
                line.LegendText = name;
            }
            plot.Title("Validation");
            plot.XLabel("iteration");
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend();
            Save(plot, run.ValidationPlot);
        }
    }

    static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    static double[] MovingAverage(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }

    static void Save(Plot plot, string path)
    {
        AtomicFile.Write(path, temp => plot.SavePng(temp, 900, 500));
    }
}
