using System.Text.Json;
using System.Text.RegularExpressions;
using VideoFer.Training.Config;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer runs report RUN_DIR` on runs written by hand: the page holds the logs' numbers; a run from
/// before per-class logging says how to get them; what is not a run, or a broken log, is one line naming the file.</summary>
public class RunsReportCommandTests : TempFolderTest
{
    string Run(bool perClass = true, string? log = null)
    {
        string run = Path.Combine(dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.json"), TrainConfigLoader.ToJson(new TrainConfig { Arch = "resnet18", Iterations = 4 }));
        File.WriteAllText(Path.Combine(run, "log.csv"), log ?? "iteration,loss,lr,seconds\n1,1.9,0.0001,0.5\n2,1.7,0.0001,1\n3,1.8,0.0001,1.5\n4,1.25,0.0001,2\n");
        File.WriteAllText(Path.Combine(run, "validation.csv"), "iteration,accuracy,f1,s,frames\n2,0.5,0.25,0.3325,4\n4,0.75,0.5,0.5825,4\n");
        if (perClass)
        {
            // 7 classes: F1 of each, then the 49 counts row by row (true Neutral predicted as Neutral first).
            string Row(int it, string f1, int[] diagonal, (int T, int P)[] off)
            {
                var m = new int[49];
                for (int k = 0; k < 7; k++) m[k * 7 + k] = diagonal[k];
                foreach (var (t, p) in off) m[t * 7 + p]++;
                return $"{it},{f1}," + string.Join(',', m);
            }
            File.WriteAllText(Path.Combine(run, "validation_classes.csv"), string.Join(',', VideoFer.Training.Reporting.RunReport.ClassColumns(7)) + "\n" +
                Row(2, "0.5,0,0,0,0,0,0", [2, 0, 0, 0, 0, 0, 0], [(4, 0), (1, 0)]) + "\n" +
                Row(4, "1,0,0,0,0.6667,0,0", [2, 0, 0, 0, 1, 0, 0], [(1, 4)]) + "\n");
        }
        return run;
    }

    [Fact]
    public void ThePageHoldsTheLogsNumbersAndTheBestCheckpointsConfusionMatrix()
    {
        string run = Run();
        var r = CliProcess.Run("runs", "report", run, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        string page = Path.Combine(run, "report.html");
        using (var json = JsonDocument.Parse(r.StdOut)) Assert.Equal(page, json.RootElement.GetProperty("report").GetString());
        string html = File.ReadAllText(page);
        var data = JsonDocument.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value).RootElement;
        Assert.Equal([1.9, 1.7, 1.8, 1.25], data.GetProperty("log").GetProperty("loss").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal([0.3325, 0.5825], data.GetProperty("validation").GetProperty("s").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Contains("S 0.5825 (Acc 0.7500, F1 0.5000) at iteration 4", html);
        Assert.Contains("<tr class=\"best\" data-iteration=\"4\">", html);
        // The best checkpoint's matrix (iteration 4): Neutral 2 right; Anger once taken for Happiness; Happiness 1 right.
        var cells = Regex.Matches(html, "<td data-predicted=\"[^\"]+\"[^>]*>(\\d+)</td>").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(49, cells.Count);
        Assert.Equal(2, cells[0]);
        Assert.Equal(1, cells[1 * 7 + 4]);
        Assert.Equal(1, cells[4 * 7 + 4]);
        Assert.Equal(4, cells.Sum());
        Assert.Contains("<td class=\"num\">0.6667</td>", html); // Happiness's F1 at iteration 4
    }

    [Fact]
    public void ARunWithoutPerClassLogsSaysHowToGetThem()
    {
        string run = Run(perClass: false);
        var r = CliProcess.Run("runs", "report", run);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"report: {Path.Combine(run, "report.html")}", r.StdOut);
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.DoesNotContain("id=\"confusion\"", html);
        Assert.Contains("not in this run&#x27;s logs (validation_classes.csv", html);
    }

    [Fact]
    public void NotARunOrABrokenLogIsOneLineNamingTheFile()
    {
        var r = CliProcess.Run("runs", "report", dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {dir}: not a VideoFer run directory (no config.json)", r.StdErr.Trim());

        string run = Run(log: "iteration,loss,lr,seconds\n1,1.9,0.0001,0.5\n2,oops,0.0001,1\n");
        r = CliProcess.Run("runs", "report", run);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {Path.Combine(run, "log.csv")}: row 2: expected 4 numbers, got '2,oops,0.0001,1'", r.StdErr.Trim());
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }
}
