using System.CommandLine;
using Spectre.Console;
using VideoFer.Training;
using VideoFer.Training.Config;
using VideoFer.Training.Evaluation;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer train`: the paper's training protocol with a config file, flags that override it,
/// checkpoints, validation, best selection and exact resume.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Config file (JSON or YAML, snake_case keys). Defaults are the paper's." };
        var set = new Option<string[]>("--set") { Description = "Override a config key: --set lr=0.001 (repeatable). Keys: " + string.Join(", ", TrainConfigLoader.Keys), AllowMultipleArgumentsPerToken = false };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run directory to create (config, log, checkpoints, best.pth, plots)." };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this directory from its newest checkpoint, exactly." };
        var stage = new Option<string?>("--stage") { Description = "frames (pre-train on images) or clips (the paper's clip model)." };
        var arch = new Option<string?>("--arch") { Description = "Backbone, e.g. resnet101-cbam." };
        var affwild2 = new Option<string?>("--affwild2") { Description = "Aff-Wild2 root (clips stage and validation)." };
        var affectnet = new Option<string?>("--affectnet") { Description = "AffectNet root (frames stage)." };
        var rafdb = new Option<string?>("--rafdb") { Description = "RAF-DB root (frames stage)." };
        var iterations = new Option<int?>("--iterations") { Description = "Total iterations (with --resume: extend the run)." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (paper: 1e-4; with --resume: from the resumed iteration on)." };
        var batch = new Option<int?>("--batch-size") { Description = "Clips (or images) per batch (paper: 4)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for initialisation, sampling, augmentation and dropout." };
        var device = new Option<string?>("--device") { Description = "cpu, cuda, cuda:N or auto." };
        var command = new Command("train", "Train the paper's network: pre-train on images (--stage frames) or train on Aff-Wild2 clips (--stage clips).")
        {
            config, set, output, resume, stage, arch, affwild2, affectnet, rafdb, iterations, lr, batch, seed, device,
        };
        command.SetAction(parse =>
        {
            var observer = new ConsoleTrainingObserver();
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true; // finish the step, write a checkpoint, exit cleanly
                cancel.Cancel();
                Console.Error.WriteLine("videofer: interrupted; writing a checkpoint...");
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                Trainer trainer;
                if (parse.GetValue(resume) is DirectoryInfo runDir)
                {
                    trainer = Trainer.Resume(runDir.FullName, parse.GetValue(iterations), observer, parse.GetValue(lr));
                }
                else
                {
                    var overrides = (parse.GetValue(set) ?? []).ToList();
                    void Add(string key, object? value) { if (value != null) overrides.Add($"{key}={Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}"); }
                    Add("stage", parse.GetValue(stage)); Add("arch", parse.GetValue(arch));
                    Add("affwild2", parse.GetValue(affwild2)); Add("affectnet", parse.GetValue(affectnet)); Add("rafdb", parse.GetValue(rafdb));
                    Add("iterations", parse.GetValue(iterations)); Add("lr", parse.GetValue(lr)); Add("batch_size", parse.GetValue(batch));
                    Add("seed", parse.GetValue(seed)); Add("device", parse.GetValue(device));
                    var effective = TrainConfigLoader.Load(parse.GetValue(config)?.FullName, overrides);
                    var outDir = parse.GetValue(output)?.FullName
                        ?? throw new VideoFerException("--out RUN_DIR is required for a new run (or --resume RUN_DIR)");
                    trainer = Trainer.Create(effective, outDir, observer);
                }
                var outcome = observer.Run(() => trainer.Run(cancel.Token));
                AnsiConsole.MarkupLine(outcome.Interrupted
                    ? $"[yellow]interrupted[/] at iteration {outcome.Iteration}; continue with: videofer train --resume {Markup.Escape(outcome.RunDirectory)}"
                    : $"[green]done[/]: {outcome.Iteration} iterations");
                if (outcome.BestIteration > 0)
                    AnsiConsole.MarkupLine($"best validation {Markup.Escape(outcome.BestScoreName)} = {outcome.BestScore:0.0000} at iteration {outcome.BestIteration} -> {Markup.Escape(Path.Combine(outcome.RunDirectory, "best.pth"))}");
                AnsiConsole.MarkupLine(Markup.Escape($"report: {Path.Combine(outcome.RunDirectory, "report.html")}"));
                return outcome.Interrupted ? 130 : CommandRunner.ExitOk;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }
}

/// <summary>Draws training progress with Spectre.Console: iteration/total, loss, it/s and ETA.</summary>
sealed class ConsoleTrainingObserver : ITrainingObserver
{
    ProgressTask? _task;
    readonly List<string> _messages = [];
    double _loss = double.NaN;

    public T Run<T>(Func<T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask("training", maxValue: 1);
                _task.IsIndeterminate = true;
                result = work();
                _task.StopTask();
            });
        return result;
    }

    public void Started(TrainConfig config, long firstIteration, string summary)
    {
        AnsiConsole.MarkupLine($"[bold]{config.Stage.ToString().ToLowerInvariant()}[/] stage, {Markup.Escape(config.Arch)}, {Markup.Escape(summary)}");
        if (_task == null) return;
        _task.IsIndeterminate = false;
        _task.MaxValue = config.Iterations;
        _task.Value = firstIteration - 1;
    }

    public void Iteration(long iteration, double loss, double secondsPerIteration)
    {
        _loss = double.IsNaN(_loss) ? loss : 0.95 * _loss + 0.05 * loss;
        if (_task == null) return;
        _task.Value = iteration;
        _task.Description = $"it {iteration}/{_task.MaxValue:0}  loss {_loss:0.000}  {1 / secondsPerIteration:0.00} it/s";
    }

    public void Checkpointed(long iteration, string path) { }

    public void Validated(long iteration, EvaluationResult result, bool isBest)
    {
        var m = result.Metrics;
        var parts = new List<string>();
        if (result.Tasks.HasFlag(Datasets.AbawTasks.Expression)) parts.Add($"Acc {m.Accuracy:0.0000}  F1 {m.MacroF1:0.0000}  S {m.Score:0.0000}  ({m.Frames:N0} frames)");
        if (result.ValenceArousal is { } va) parts.Add($"VA CCC {va.ValenceCcc:0.0000}/{va.ArousalCcc:0.0000} (mean {va.MeanCcc:0.0000}, {va.Frames:N0} frames)");
        if (result.ActionUnits is { } au) parts.Add($"AU F1 {au.MeanF1:0.0000} Acc {au.Accuracy:0.0000} ({au.Frames:N0} frames)");
        AnsiConsole.MarkupLine($"validation @ {iteration}: {Markup.Escape(string.Join("; ", parts))}{(isBest ? "  [green]best[/]" : "")}");
    }

    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
}
