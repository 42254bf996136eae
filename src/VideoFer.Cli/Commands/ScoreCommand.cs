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
                MetricsView.SaveConfusionPng(report.Metrics, pngPath);
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
