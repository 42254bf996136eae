using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoFer.Training.Runs;

/// <summary>The files of one training run:
/// <code>
/// RUN_DIR/config.json            effective config (written once, at the start)
/// RUN_DIR/log.csv                iteration, loss, learning rate, seconds
/// RUN_DIR/validation.csv         iteration, accuracy, f1, s (one row per validation)
/// RUN_DIR/validation_classes.csv iteration, F1 of each class, confusion matrix counts (one row per validation)
/// RUN_DIR/report.html            the run as a page (videofer runs report)
/// RUN_DIR/checkpoints/iter-000001000.pth
/// RUN_DIR/best.pth               the checkpoint with the highest validation S so far
/// RUN_DIR/loss.png, validation.png
/// RUN_DIR/predictions/           ABAW-format predictions of the best checkpoint's validation
/// </code></summary>
public sealed partial class RunDirectory
{
    public RunDirectory(string path)
    {
        Path_ = System.IO.Path.GetFullPath(path);
    }

    public string Path_ { get; }
    public string ConfigFile => Combine("config.json");
    public string LogFile => Combine("log.csv");
    public string ValidationFile => Combine("validation.csv");
    public string ValidationClassesFile => Combine("validation_classes.csv");
    /// <summary>Valence-arousal and action unit validation figures of a multi-task run.</summary>
    public string ValidationTasksFile => Combine("validation_tasks.csv");
    public string ReportFile => Combine("report.html");
    public string CheckpointDir => Combine("checkpoints");
    public string BestCheckpoint => Combine("best.pth");
    public string LossPlot => Combine("loss.png");
    public string ValidationPlot => Combine("validation.png");
    public string PredictionsDir => Combine("predictions");

    string Combine(string name) => System.IO.Path.Combine(Path_, name);

    public string CheckpointFor(long iteration) =>
        System.IO.Path.Combine(CheckpointDir, $"iter-{iteration.ToString("D9", CultureInfo.InvariantCulture)}.pth");

    [GeneratedRegex(@"^iter-(\d{9})\.pth$")]
    private static partial Regex CheckpointName();

    /// <summary>Periodic checkpoints, oldest first.</summary>
    public IReadOnlyList<(long Iteration, string Path)> Checkpoints()
    {
        if (!Directory.Exists(CheckpointDir)) return [];
        return Directory.EnumerateFiles(CheckpointDir)
            .Select(p => (Match: CheckpointName().Match(System.IO.Path.GetFileName(p)), Path: p))
            .Where(x => x.Match.Success)
            .Select(x => (long.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderBy(x => x.Item1)
            .ToList();
    }

    public (long Iteration, string Path)? Latest() => Checkpoints() is { Count: > 0 } list ? list[^1] : null;

    public bool Exists => File.Exists(ConfigFile);
}
