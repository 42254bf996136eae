using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Training.Config;
using VideoFer.Training.Reporting;
using VideoFer.Training.Runs;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer runs show RUN_DIR`: what a training run did and where its results are; `videofer runs report
/// RUN_DIR`: the same as a page, report.html.</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var runs = new Command("runs", "Inspect training runs.");
        var dir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A directory made by `videofer train --out`." };
        var show = new Command("show", "Summarise a run: config, progress, loss, validation history and the best checkpoint.") { dir, GlobalOptions.Json };
        show.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(dir)!.FullName);
            if (!run.Exists) throw new VideoFerException($"{run.Path_}: not a VideoFer run directory (no config.json)");
            var config = TrainConfigLoader.FromJson(File.ReadAllText(run.ConfigFile), run.ConfigFile);
            var log = CsvLog.Read(run.LogFile).ToList();
            var validation = CsvLog.Read(run.ValidationFile).Select(r => r.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
            var best = validation.Count > 0 ? validation.MaxBy(v => v[3]) : null;
            var checkpoints = run.Checkpoints();
            long last = log.Count > 0 ? long.Parse(log[^1][0], CultureInfo.InvariantCulture) : 0;
            double seconds = log.Count > 0 ? double.Parse(log[^1][3], CultureInfo.InvariantCulture) : 0;
            var recent = log.TakeLast(100).Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    run = run.Path_, stage = config.Stage.ToString().ToLowerInvariant(), arch = config.Arch,
                    iteration = last, iterations = config.Iterations, seconds,
                    recent_loss = recent.Count > 0 ? recent.Average() : (double?)null,
                    checkpoints = checkpoints.Count,
                    validation = validation.Select(v => new { iteration = (long)v[0], accuracy = v[1], f1 = v[2], s = v[3] }),
                    best = best == null ? null : new { iteration = (long)best[0], accuracy = best[1], f1 = best[2], s = best[3], path = File.Exists(run.BestCheckpoint) ? run.BestCheckpoint : null },
                }));
                return CommandRunner.ExitOk;
            }
            AnsiConsole.MarkupLine(Markup.Escape($"{run.Path_}: {config.Stage.ToString().ToLowerInvariant()} stage, {config.Arch}, {config.Classes} classes"));
            AnsiConsole.MarkupLine(Markup.Escape($"iteration {last:N0} of {config.Iterations:N0} in {TimeSpan.FromSeconds(seconds):hh\\:mm\\:ss}; {checkpoints.Count} checkpoints" +
                (recent.Count > 0 ? $"; mean loss over the last {recent.Count} iterations {recent.Average():0.0000}" : "")));
            if (validation.Count > 0)
            {
                var table = new Table().AddColumn("iteration").AddColumn(new TableColumn("Acc").RightAligned()).AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("S").RightAligned());
                foreach (var v in validation)
                    table.AddRow(v[0].ToString("N0"), v[1].ToString("0.0000"), v[2].ToString("0.0000"),
                        v == best ? $"[green]{v[3]:0.0000}[/]" : v[3].ToString("0.0000"));
                AnsiConsole.Write(table);
                // Claim only a file that is there: a kill while it was written leaves none until --resume repairs it.
                AnsiConsole.MarkupLine(Markup.Escape($"best: S {best![3]:0.0000} at iteration {best[0]:N0} -> " +
                    (File.Exists(run.BestCheckpoint) ? run.BestCheckpoint : $"{run.BestCheckpoint} is missing (an interrupted write); `videofer train --resume {run.Path_}` restores it")));
            }
            foreach (var plot in new[] { run.LossPlot, run.ValidationPlot }.Where(File.Exists))
                AnsiConsole.MarkupLine(Markup.Escape($"plot: {plot}"));
            return CommandRunner.ExitOk;
        });
        runs.Subcommands.Add(show);

        var reportDir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A directory made by `videofer train --out`." };
        var report = new Command("report", "Write RUN_DIR/report.html: loss and learning-rate curves, validation Acc/F1/S per checkpoint, " +
                                           "per-class F1 and the confusion matrix of the best checkpoint (train writes it at the end too).") { reportDir, GlobalOptions.Json };
        report.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(reportDir)!.FullName);
            if (File.Exists(run.Path_)) throw new VideoFerException($"{run.Path_}: is a file, not a run directory");
            if (!run.Exists) throw new VideoFerException($"{run.Path_}: not a VideoFer run directory (no config.json)");
            // The run's own folder: refused while a `train` writes it (its logs would change under the page).
            using (IO.OutputFolder.Open(run.Path_, "train", "RUN_DIR"))
            {
                string page = RunReport.Write(run);
                if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonOutput.Serialize(new { report = page }));
                else AnsiConsole.MarkupLine(Markup.Escape($"report: {page}"));
            }
            return CommandRunner.ExitOk;
        });
        runs.Subcommands.Add(report);
        return runs;
    }
}
