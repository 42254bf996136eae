using ScottPlot;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>One PNG per person (<c>timeline_person&lt;N&gt;.png</c>) or per track (<c>timeline_track&lt;N&gt;.png</c>):
/// the smoothed probability of each of the predictor's classes over time. A stretch without the face (another
/// shot, an occlusion, the person off screen) is a gap in the lines, never bridged; shot cuts are dashed lines.</summary>
public static class TimelinePlot
{
    /// <summary>Frames without the face after which the lines break (more than smoothing's reach, so one
    /// missed detection does not cut a line).</summary>
    public const int GapFrames = 3;

    /// <summary>One timeline per person when people were linked, else per track.</summary>
    public static IReadOnlyList<string> Write(string directory, VideoPrediction prediction) =>
        prediction.PeopleLinked ? WritePeople(directory, prediction) : WriteTracks(directory, prediction);

    public static IReadOnlyList<string> WritePeople(string directory, VideoPrediction prediction) =>
        prediction.People.People.Select(p => Write(directory, prediction, $"timeline_person{p.Id}.png",
            $"person {p.Id} (track{(p.Tracks.Count > 1 ? "s" : "")} {string.Join(", ", p.Tracks)})",
            prediction.Records.Where(r => r.Person == p.Id))).ToList();

    public static IReadOnlyList<string> WriteTracks(string directory, VideoPrediction prediction) =>
        prediction.Tracks.Select(t => Write(directory, prediction, $"timeline_track{t}.png", $"track {t}",
            prediction.Records.Where(r => r.Track == t))).ToList();

    static string Write(string directory, VideoPrediction prediction, string fileName, string who, IEnumerable<PredictionRecord> rows)
    {
        var records = rows.OrderBy(r => r.Frame).ToList();
        var plot = new Plot();
        // Runs of frames close enough to be drawn as one line.
        var runs = new List<List<PredictionRecord>>();
        foreach (var r in records)
        {
            if (runs.Count == 0 || r.Frame - runs[^1][^1].Frame > GapFrames) runs.Add([]);
            runs[^1].Add(r);
        }
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < prediction.ClassNames.Count; k++)
        {
            var colour = palette.GetColor(k);
            for (int i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                var line = plot.Add.Scatter(run.Select(r => r.Time).ToArray(), run.Select(r => (double)r.Probabilities[k]).ToArray(), colour);
                if (i == 0) line.LegendText = prediction.ClassNames[k];
                line.MarkerSize = run.Count < 3 ? 5 : 0;
                line.LineWidth = 2;
            }
        }
        // A multi-task checkpoint's valence and arousal, on the same time axis (their range is [-1, 1]).
        if (prediction.HasValenceArousal)
            for (int d = 0; d < 2; d++)
                for (int i = 0; i < runs.Count; i++)
                {
                    var run = runs[i].Where(r => r.ValenceArousal != null).ToList();
                    if (run.Count == 0) continue;
                    var line = plot.Add.Scatter(run.Select(r => r.Time).ToArray(), run.Select(r => (double)r.ValenceArousal![d]).ToArray(), Colors.Black);
                    if (i == 0) line.LegendText = d == 0 ? "valence" : "arousal";
                    line.LinePattern = d == 0 ? LinePattern.Solid : LinePattern.Dotted;
                    line.MarkerSize = run.Count < 3 ? 5 : 0;
                    line.LineWidth = 2;
                }
        foreach (int cut in prediction.ShotCuts)
        {
            var v = plot.Add.VerticalLine(prediction.TimeOf(cut), 1, Colors.Gray, LinePattern.Dashed);
            v.ExcludeFromLegend = true;
        }
        plot.Title($"{prediction.Stem}: {who}, {records.Count} frames with a face");
        plot.XLabel("time (s)" + (prediction.ShotCuts.Count > 0 ? "; dashed: shot cuts" : ""));
        plot.YLabel(prediction.HasValenceArousal ? "probability; valence and arousal (black)" : "probability");
        plot.Axes.SetLimitsY(prediction.HasValenceArousal ? -1 : 0, 1);
        if (prediction.Frames > 1) plot.Axes.SetLimitsX(0, prediction.TimeOf(prediction.Frames));
        plot.ShowLegend(Alignment.UpperRight);
        string path = Path.Combine(directory, fileName);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 1100, 450));
        return path;
    }
}
