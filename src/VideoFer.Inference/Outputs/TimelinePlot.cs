using ScottPlot;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>One PNG per track: the smoothed probability of each of the predictor's classes over time.</summary>
public static class TimelinePlot
{
    public static IReadOnlyList<string> Write(string directory, VideoPrediction prediction)
    {
        var written = new List<string>();
        foreach (int track in prediction.Tracks)
        {
            var records = prediction.Records.Where(r => r.Track == track).OrderBy(r => r.Frame).ToList();
            var plot = new Plot();
            double[] times = records.Select(r => r.Time).ToArray();
            for (int k = 0; k < prediction.ClassNames.Count; k++)
            {
                var line = plot.Add.Scatter(times, records.Select(r => (double)r.Probabilities[k]).ToArray());
                line.LegendText = prediction.ClassNames[k];
                line.MarkerSize = records.Count < 3 ? 5 : 0;
                line.LineWidth = 2;
            }
            plot.Title($"{prediction.Stem}: track {track} ({records.Count} frames with a face)");
            plot.XLabel("time (s)");
            plot.YLabel("probability");
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend(Alignment.UpperRight);
            string path = Path.Combine(directory, $"timeline_track{track}.png");
            AtomicFile.Write(path, temp => plot.SavePng(temp, 1100, 450));
            written.Add(path);
        }
        return written;
    }
}
