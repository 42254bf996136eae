using System.Globalization;
using System.Text.Json;
using OpenQA.Selenium;
using VideoFer.Training.Reporting;
using VideoFer.Training.Runs;

namespace VideoFer.Training.Tests;

/// <summary>report.html of a training run, opened in Debian's headless chromium: the curves and the confusion
/// matrix it shows are the numbers of the run's logs.</summary>
[Collection("synthetic")]
public class RunReportTests(SyntheticData data) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-run-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    [Trait("Category", "Slow")]
    public void TheRunsPageShowsItsLossLearningRateValidationAndConfusionMatrix()
    {
        string runPath = Path.Combine(dir, "run");
        // 4 steps, a checkpoint and a validation every 2 (iterations 2 and 4).
        Trainer.Create(data.Tiny("iterations=4", "checkpoint_every=2", "eval_every=1", "seed=5"), runPath).Run();
        var run = new RunDirectory(runPath);
        Assert.True(File.Exists(run.ReportFile), "train writes report.html at the end");

        var log = CsvLog.Read(run.LogFile).ToList();
        var validation = CsvLog.Read(run.ValidationFile).ToList();
        var classes = CsvLog.Read(run.ValidationClassesFile).ToList();
        Assert.Equal(4, log.Count);
        Assert.Equal(["2", "4"], validation.Select(v => v[0]));
        Assert.Equal(["2", "4"], classes.Select(v => v[0]));
        Assert.Equal(RunReport.ClassColumns(7), File.ReadLines(run.ValidationClassesFile).First().Split(','));
        // The per-class numbers agree with validation.csv: accuracy is the matrix's diagonal share, macro F1 the mean
        // F1 over the classes present in truth or prediction, and the frames its total.
        foreach (var (v, c) in validation.Zip(classes))
        {
            var f1 = c[1..8].Select(D).ToArray();
            var m = c[8..].Select(long.Parse).ToArray();
            long total = m.Sum(), correct = Enumerable.Range(0, 7).Sum(k => m[k * 7 + k]);
            Assert.Equal(long.Parse(v[4]), total);
            Assert.Equal(D(v[1]), (double)correct / total, 12);
            var present = Enumerable.Range(0, 7).Where(k => Enumerable.Range(0, 7).Any(j => m[k * 7 + j] > 0 || m[j * 7 + k] > 0)).ToList();
            Assert.Equal(D(v[2]), present.Average(k => f1[k]), 12);
        }

        using var browser = new Browser(1200, 1600);
        browser.Open(run.ReportFile);
        Assert.Empty(browser.ConsoleErrors());

        // The page's data are the logs' numbers, and each chart draws every one of them.
        using var json = JsonDocument.Parse((string)browser.Script("return document.getElementById('data').textContent")!);
        var page = json.RootElement;
        Assert.Equal(log.Select(r => D(r[1])), page.GetProperty("log").GetProperty("loss").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(log.Select(r => D(r[2])), page.GetProperty("log").GetProperty("lr").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(validation.Select(r => D(r[3])), page.GetProperty("validation").GetProperty("s").EnumerateArray().Select(x => x.GetDouble()));
        long Points(string chart, string series) => (long)browser.Script(
            "return document.querySelector(arguments[0] + ' polyline[data-series=\"' + arguments[1] + '\"]').points.numberOfItems", "#" + chart, series)!;
        Assert.Equal(4, Points("loss-chart", "loss"));
        Assert.Equal(4, Points("lr-chart", "learning rate"));
        foreach (var series in new[] { "accuracy", "macro F1", "S" }) Assert.Equal(2, Points("validation-chart", series));
        // The loss line's highest point is the largest loss (SVG y grows downwards).
        var ys = (IReadOnlyCollection<object>)browser.Script(
            "var p = document.querySelector('#loss-chart polyline').points, r = []; for (var i = 0; i < p.numberOfItems; i++) r.push(p.getItem(i).y); return r")!;
        Assert.Equal(log.Select(r => D(r[1])).ToList().IndexOf(log.Max(r => D(r[1]))), ys.Select(Convert.ToDouble).ToList().IndexOf(ys.Min(Convert.ToDouble)));

        // The validation table: a row per validation, the best S marked, per-class F1 as logged.
        var rows = browser.Driver.FindElements(By.CssSelector("#validation tbody tr"));
        Assert.Equal(2, rows.Count);
        var best = validation.MaxBy(v => D(v[3]))!;
        Assert.Equal(best[0], browser.Driver.FindElement(By.CssSelector("#validation tr.best")).GetAttribute("data-iteration"));
        for (int i = 0; i < 2; i++)
        {
            var cells = rows[i].FindElements(By.TagName("td")).Select(td => td.Text).ToList();
            Assert.Equal(validation[i][0], cells[0]);
            Assert.Equal(D(validation[i][3]).ToString("0.0000", CultureInfo.InvariantCulture), cells[3]);
            Assert.Equal(classes[i][1..8].Select(v => D(v).ToString("0.0000", CultureInfo.InvariantCulture)), cells[5..12]);
        }

        // The confusion matrix is the best checkpoint's, count for count.
        var bestCounts = classes.Single(c => c[0] == best[0])[8..];
        var shown = browser.Driver.FindElements(By.CssSelector("#confusion tbody td[data-predicted]")).Select(td => td.Text).ToList();
        Assert.Equal(bestCounts, shown);
        Assert.Contains($"at iteration {best[0]}", browser.Driver.FindElement(By.Id("best")).Text);

        // Hovering the loss chart shows the value under the pointer.
        var loss = browser.Driver.FindElement(By.CssSelector("#loss-chart svg"));
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).MoveToElement(loss).Perform();
        browser.Until(d => d.FindElement(By.Id("tip")).Displayed, "the tooltip");
        Assert.StartsWith("loss @ ", browser.Driver.FindElement(By.Id("tip")).Text);

        browser.Screenshot(Path.Combine(AppContext.BaseDirectory, "screenshots", "run-report.png"));
    }
}
