using System.Globalization;
using VideoFer.Metrics;
using VideoFer.Reports;
using VideoFer.Training.Config;
using VideoFer.Training.Runs;

namespace VideoFer.Training.Reporting;

/// <summary>report.html of a training run, from its logs alone (config.json, log.csv, validation.csv,
/// validation_classes.csv): loss and learning-rate curves, validation accuracy, macro F1 and S per checkpoint,
/// the F1 of each class per checkpoint and the confusion matrix of the best checkpoint (the highest S, the
/// earliest on a tie, as best.pth). The trainer writes it at the end of a run; <c>videofer runs report</c> writes
/// it again at any time. Template: <c>src/VideoFer.Core/Reports/Assets/run.liquid</c>.</summary>
public static class RunReport
{
    /// <summary>At most this many loss and learning-rate points on the page: longer logs are averaged over
    /// equal runs of iterations (the loss; the learning rate is taken at each run's last iteration).</summary>
    public const int MaxCurvePoints = 2000;

    /// <summary>The header of validation_classes.csv: the iteration, the F1 of each class, then the confusion
    /// matrix row by row (<c>n_&lt;true&gt;_as_&lt;predicted&gt;</c>: frames of the true class predicted as the other).</summary>
    public static string[] ClassColumns(int classCount)
    {
        var names = ExpressionClasses.Names(classCount);
        return ["iteration", .. names.Select(n => "f1_" + n), .. names.SelectMany(t => names.Select(p => $"n_{t}_as_{p}"))];
    }

    /// <summary>A validation_classes.csv row of <paramref name="m"/> at <paramref name="iteration"/>.</summary>
    public static object[] ClassRow(long iteration, ClassificationMetrics m) =>
        [iteration, .. m.F1.Cast<object>(), .. m.Confusion.ToRows().SelectMany(r => r).Cast<object>()];

    /// <summary>Writes <see cref="RunDirectory.ReportFile"/>; returns its path.</summary>
    public static string Write(RunDirectory run)
    {
        if (!run.Exists) throw new VideoFerException($"{run.Path_}: not a VideoFer run directory (no config.json)");
        var config = TrainConfigLoader.FromJson(File.ReadAllText(run.ConfigFile), run.ConfigFile);
        var names = ExpressionClasses.Names(config.Classes);
        var log = Rows(run.LogFile, 4);
        var validation = Rows(run.ValidationFile, 4);
        var perClass = Rows(run.ValidationClassesFile, 1 + names.Count + names.Count * names.Count)
            .ToDictionary(r => (long)r[0], r => r);
        double[]? best = validation.Count > 0 ? validation.MaxBy(v => v[3]) : null;

        // Curves: every logged iteration, or means over equal runs of them for long logs.
        int every = Math.Max(1, (log.Count + MaxCurvePoints - 1) / MaxCurvePoints);
        var chunks = log.Chunk(every).ToList();
        var curves = new
        {
            iteration = chunks.Select(c => c[^1][0]),
            loss = chunks.Select(c => c.Average(r => r[1])),
            lr = chunks.Select(c => c[^1][2]),
        };

        var rows = validation.Select(v =>
        {
            perClass.TryGetValue((long)v[0], out var pc);
            return new Dictionary<string, object?>
            {
                ["iteration"] = ((long)v[0]).ToString(CultureInfo.InvariantCulture),
                ["accuracy"] = F(v[1]), ["f1"] = F(v[2]), ["s"] = F(v[3]),
                ["frames"] = v.Length > 4 ? ((long)v[4]).ToString(CultureInfo.InvariantCulture) : "",
                ["best"] = ReferenceEquals(v, best),
                ["class_f1"] = pc is null ? names.Select(_ => "").ToList() : names.Select((_, k) => F(pc[1 + k])).ToList(),
            };
        }).ToList();

        List<Dictionary<string, object?>>? matrix = null;
        if (best is not null && perClass.TryGetValue((long)best[0], out var bestRow))
        {
            matrix = names.Select((t, i) =>
            {
                var counts = names.Select((_, j) => (long)bestRow[1 + names.Count + i * names.Count + j]).ToList();
                long total = counts.Sum();
                return new Dictionary<string, object?>
                {
                    ["name"] = t,
                    ["total"] = total,
                    ["cells"] = counts.Select((n, j) => new Dictionary<string, object?>
                    {
                        ["count"] = n,
                        ["predicted"] = names[j],
                        // Shade by the share of the true class's frames (a row sums to 100%).
                        ["share"] = total == 0 ? "0" : (100.0 * n / total).ToString("0.#", CultureInfo.InvariantCulture),
                        ["diagonal"] = i == j,
                    }).ToList(),
                };
            }).ToList();
        }

        long lastIteration = log.Count > 0 ? (long)log[^1][0] : 0;
        var diverged = log.FirstOrDefault(r => !double.IsFinite(r[1]));
        double seconds = log.Count > 0 ? log[^1][3] : 0;
        var model = new Dictionary<string, object?>
        {
            ["title"] = $"training run {Path.GetFileName(run.Path_)}",
            ["run"] = run.Path_,
            ["stage"] = config.Stage.ToString().ToLowerInvariant(),
            ["arch"] = config.Arch,
            ["classes"] = names.ToList(),
            ["iteration"] = lastIteration.ToString("N0", CultureInfo.InvariantCulture),
            ["iterations"] = config.Iterations.ToString("N0", CultureInfo.InvariantCulture),
            ["time"] = TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
            ["settings"] = $"batch {config.BatchSize}, {config.Optimizer.ToString().ToLowerInvariant()}, lr {config.LearningRate.ToString("G4", CultureInfo.InvariantCulture)}, " +
                           $"input {config.InputSize}, clip length {config.ClipLength}, seed {config.Seed}",
            ["averaged"] = every > 1 ? $"Each point is the mean loss over {every} iterations ({log.Count:N0} logged)." : null,
            ["diverged"] = diverged is null ? null
                : $"The loss was {diverged[1].ToString(CultureInfo.InvariantCulture)} at iteration {(long)diverged[0]}: training stopped there, before that step changed the weights (see the run's last message for likely causes).",
            ["validations"] = rows,
            ["best"] = best is null ? null : new Dictionary<string, object?>
            {
                ["iteration"] = ((long)best[0]).ToString(CultureInfo.InvariantCulture),
                ["s"] = F(best[3]), ["accuracy"] = F(best[1]), ["f1"] = F(best[2]),
                ["checkpoint"] = File.Exists(run.BestCheckpoint) ? "best.pth" : null,
            },
            ["matrix"] = matrix,
            ["matrix_note"] = best is not null && matrix is null
                ? "The confusion matrix and per-class F1 are not in this run's logs (validation_classes.csv: runs trained before VideoFer logged them); `videofer eval --checkpoint best.pth` computes them."
                : null,
        };
        var data = new
        {
            kind = "run",
            classes = names,
            log = curves,
            validation = new
            {
                iteration = validation.Select(v => (long)v[0]),
                accuracy = validation.Select(v => v[1]),
                f1 = validation.Select(v => v[2]),
                s = validation.Select(v => v[3]),
            },
        };
        HtmlReport.Write(run.ReportFile, "run.liquid", model, data);
        return run.ReportFile;
    }

    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The rows of a run's CSV log as numbers; a malformed row is an error naming the file and line.</summary>
    static List<double[]> Rows(string path, int columns)
    {
        var rows = new List<double[]>();
        int line = 1;
        foreach (var r in CsvLog.Read(path))
        {
            line++;
            if (r.Length < columns || !r.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                throw VideoFerException.InFile(path, $"row {line - 1}: expected {columns} numbers, got '{string.Join(',', r)}'");
            rows.Add(r.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
        return rows;
    }
}
