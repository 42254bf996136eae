using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VideoFer.Datasets;
using VideoFer.Datasets.AffectNet;
using VideoFer.Datasets.AffWild2;
using VideoFer.Datasets.RafDb;
using VideoFer.Statistics;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer data stats`: per-split, per-class counts of Aff-Wild2, AffectNet and RAF-DB copies,
/// with missing images, ignored frames and the training windows a clip length leaves.</summary>
public static class DataStatsCommand
{
    public static Command Create()
    {
        var affwild2 = new Option<string?>("--affwild2") { Description = "Aff-Wild2 root, annotations folder or expression edition folder." };
        var edition = new Option<string?>("--edition") { Description = "Aff-Wild2 edition: 2020, 2021, 2022, 2023 or 2024 (default: detected from folder names)." };
        var cropped = new Option<string[]>("--cropped")
        {
            Description = "A cropped_aligned image root; repeat for several (default: every cropped_aligned* folder beside the annotations).",
        };
        var affectnet = new Option<string?>("--affectnet") { Description = "AffectNet root (Manually_Annotated_file_lists/ or train_set/ + val_set/)." };
        var rafdb = new Option<string?>("--rafdb") { Description = "RAF-DB root (holding EmoLabel/, or basic/)." };
        var clipLength = new Option<int>("--clip-length") { Description = "Frames per training clip, for the count of valid windows.", DefaultValueFactory = _ => 8 };
        var classes = new Option<int>("--classes") { Description = "AffectNet class set: 7 drops Contempt, 8 counts it as Other.", DefaultValueFactory = _ => 7 };
        var lenient = new Option<bool>("--lenient") { Description = "Skip malformed lines with a warning instead of stopping at the first." };

        var command = new Command("stats", "Per-split, per-class frame counts, videos, valid clip windows, missing images and -1 frames.");
        foreach (var o in new Option[] { affwild2, edition, cropped, affectnet, rafdb, clipLength, classes, lenient, GlobalOptions.Json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            string? affwild2Root = parse.GetValue(affwild2), affectnetRoot = parse.GetValue(affectnet), rafdbRoot = parse.GetValue(rafdb);
            if (affwild2Root == null && affectnetRoot == null && rafdbRoot == null)
                throw new VideoFerException("give at least one dataset: --affwild2, --affectnet or --rafdb");
            int length = parse.GetValue(clipLength);
            if (length < 1)
                throw new VideoFerException($"--clip-length must be at least 1, not {length}");
            int classCount = parse.GetValue(classes);
            if (classCount is not (7 or 8))
                throw new VideoFerException($"--classes must be 7 or 8, not {classCount}");
            var croppedRoots = parse.GetValue(cropped) is { Length: > 0 } roots ? roots : null;
            if (croppedRoots != null && affwild2Root == null)
                throw new VideoFerException("--cropped needs --affwild2");

            int warnings = 0;
            var read = new ReadOptions
            {
                Lenient = parse.GetValue(lenient),
                Warning = message =>
                {
                    if (++warnings <= 20) Console.Error.WriteLine($"videofer: warning: {message}");
                },
            };
            var result = new Dictionary<string, object>();
            AffWild2Statistics? aw = null;
            if (affwild2Root != null)
            {
                var ed = parse.GetValue(edition) is string e ? AffWild2Editions.Parse(e) : (AffWild2Edition?)null;
                aw = DatasetStatistics.ForAffWild2(AffWild2Reader.Open(affwild2Root, ed, croppedRoots, read), length);
            }
            IReadOnlyList<SplitStatistics>? an = null;
            AffectNetRelease? release = null;
            if (affectnetRoot != null)
            {
                var reader = AffectNetReader.Open(affectnetRoot, new AffectNetOptions { ClassCount = classCount, ContemptAsOther = classCount == 8, Read = read });
                release = reader.Release;
                an = DatasetStatistics.ForAffectNet(reader, classCount);
            }
            var rd = rafdbRoot != null ? DatasetStatistics.ForRafDb(RafDbReader.Open(rafdbRoot, read)) : null;
            if (warnings > 20)
                Console.Error.WriteLine($"videofer: warning: {warnings - 20} more malformed lines skipped");

            if (parse.GetValue(GlobalOptions.Json))
            {
                if (aw != null) result["affwild2"] = AffWild2Json(aw);
                if (an != null) result["affectnet"] = new Dictionary<string, object> { ["release"] = release == AffectNetRelease.Original ? "original" : "8-labels", ["splits"] = an.Select(SplitJson).ToArray() };
                if (rd != null) result["rafdb"] = new Dictionary<string, object> { ["splits"] = rd.Select(SplitJson).ToArray() };
                if (warnings > 0) result["skipped_malformed"] = warnings;
                Console.WriteLine(JsonOutput.Serialize(result));
                return CommandRunner.ExitOk;
            }
            if (aw != null)
            {
                AnsiConsole.MarkupLine(Markup.Escape(
                    $"Aff-Wild2 {aw.Layout.Edition.Name()}: annotations {aw.Layout.AnnotationDir}; images {(aw.ImageRoots.Count == 0 ? "none found (image counts unknown, windows judged by labels only)" : string.Join(", ", aw.ImageRoots))}; test videos listed: {aw.TestVideos}"));
                AnsiConsole.Write(SplitTable(aw.Splits, length));
            }
            if (an != null)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"AffectNet ({(release == AffectNetRelease.Original ? "original release" : "8-label release")}, {classCount} classes; 'ignored' = codes the class set drops)"));
                AnsiConsole.Write(SplitTable(an, null));
            }
            if (rd != null)
            {
                AnsiConsole.MarkupLine("RAF-DB basic");
                AnsiConsole.Write(SplitTable(rd, null));
            }
            if (warnings > 0)
                AnsiConsole.MarkupLine(Markup.Escape($"{warnings} malformed lines or files skipped (--lenient)."));
            return CommandRunner.ExitOk;
        });
        return command;
    }

    static Dictionary<string, object?> AffWild2Json(AffWild2Statistics s) => new()
    {
        ["edition"] = s.Layout.Edition.Name(),
        ["annotation_dir"] = s.Layout.AnnotationDir,
        ["image_roots"] = s.ImageRoots,
        ["clip_length"] = s.ClipLength,
        ["test_videos"] = s.TestVideos,
        ["test_list"] = s.Layout.TestListFile,
        ["splits"] = s.Splits.Select(SplitJson).ToArray(),
    };

    static Dictionary<string, object?> SplitJson(SplitStatistics s)
    {
        var json = new Dictionary<string, object?>
        {
            ["split"] = s.Split,
            ["frames"] = s.Frames,
            ["class_counts"] = ExpressionClasses.Names(s.ClassCount).Select((n, i) => (n, i)).ToDictionary(x => x.n, x => s.ClassCounts[x.i]),
            [s.Dataset == DatasetNames.AffectNet ? "dropped" : "ignored_frames"] = s.Ignored,
            ["missing_images"] = s.MissingImages,
        };
        if (s.Videos != null)
        {
            json["videos"] = s.Videos;
            json["labelled_without_image"] = s.LabelledWithoutImage;
            json["valid_windows"] = s.ValidWindows;
            json["videos_without_window"] = s.VideosWithoutWindow;
        }
        return json;
    }

    static string N(long? v) => v?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a";

    // One column per split and one row per count, so eight classes still fit an 80-column terminal.
    static Table SplitTable(IReadOnlyList<SplitStatistics> splits, int? clipLength)
    {
        bool video = clipLength != null;
        int classCount = splits.Count == 0 ? 7 : splits.Max(s => s.ClassCount);
        var table = new Table().AddColumn("");
        foreach (var s in splits)
            table.AddColumn(new TableColumn(Markup.Escape(s.Split)).RightAligned());
        void Row(string name, Func<SplitStatistics, string> value) =>
            table.AddRow([Markup.Escape(name), .. splits.Select(s => Markup.Escape(value(s)))]);
        if (video) Row("videos", s => N(s.Videos));
        Row(video ? "frames" : "images", s => N(s.Frames));
        var names = ExpressionClasses.Names(classCount);
        for (int c = 0; c < classCount; c++)
        {
            int k = c;
            Row("  " + names[k], s => k < s.ClassCount ? N(s.ClassCounts[k]) : "-");
        }
        Row(video ? "-1 (ignored)" : "dropped / ignored", s => N(s.Ignored));
        Row("missing images", s => N(s.MissingImages));
        if (video)
        {
            Row("labelled, no image", s => N(s.LabelledWithoutImage));
            Row($"valid windows (L={clipLength})", s => N(s.ValidWindows));
            Row("videos without a window", s => N(s.VideosWithoutWindow));
        }
        return table;
    }
}
