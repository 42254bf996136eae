using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace VideoFer.Cli.Tests;

/// <summary>predict's report.html in Debian's headless chromium: on Megamind.avi the page plays its video, its
/// timelines follow and seek it and draw every row of predictions.csv; without ffmpeg the page says why there
/// is no video and still draws its timelines.</summary>
[Collection(MegamindPrediction.Collection)]
public class ReportBrowserTests(MegamindPrediction megamind, ITestOutputHelper log) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Screenshots => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The CSV's rows of each person: (frame, time, probabilities).</summary>
    static Dictionary<int, List<(int Frame, double Time, double[] P)>> CsvByPerson(string csv)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int first = Array.IndexOf(header, "score") + 1, label = Array.IndexOf(header, "label");
        return lines.Skip(1).Select(l => l.Split(','))
            .GroupBy(f => int.Parse(f[3]))
            .ToDictionary(g => g.Key, g => g.Select(f => (int.Parse(f[0]), double.Parse(f[1], CultureInfo.InvariantCulture),
                f[first..label].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())).OrderBy(x => x.Item1).ToList());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void MegamindsPagePlaysItsVideoAndItsTimelinesFollowSeekAndDrawEveryRow()
    {
        Assert.True(megamind.Result.ExitCode == 0, megamind.Result.ToString());
        string page = Path.Combine(megamind.Out, "report.html");
        using (var summary = JsonDocument.Parse(megamind.Result.StdOut))
            Assert.Equal(page, summary.RootElement.GetProperty("report").GetString());
        Assert.Contains("report.html", File.ReadAllLines(Path.Combine(megamind.Out, ".videofer-run.json")).Select(l => l.Trim().Trim(',', '"')));
        log.WriteLine($"report.html: {new FileInfo(page).Length:N0} bytes");
        Assert.DoesNotContain("http://", File.ReadAllText(page).Replace("http://www.w3.org/2000/svg", "")); // nothing from the network
        Assert.DoesNotContain("https://", File.ReadAllText(page));

        using var browser = new Browser();
        browser.Open(page);

        // The page's data are the CSV's rows, person by person, and each timeline draws every one of them.
        var csv = CsvByPerson(Path.Combine(megamind.Out, "predictions.csv"));
        Assert.Equal(3, csv.Count);
        using var json = JsonDocument.Parse((string)browser.Script("return document.getElementById('data').textContent")!);
        var people = json.RootElement.GetProperty("people").EnumerateArray().ToList();
        Assert.Equal(csv.Keys.Order(), people.Select(p => p.GetProperty("id").GetInt32()));
        foreach (var person in people)
        {
            int id = person.GetProperty("id").GetInt32();
            var rows = csv[id];
            Assert.Equal(rows.Select(r => r.Frame), person.GetProperty("frame").EnumerateArray().Select(x => x.GetInt32()));
            Assert.Equal(rows.Select(r => r.Time), person.GetProperty("time").EnumerateArray().Select(x => x.GetDouble()));
            // The very numbers of the CSV, not merely close ones.
            Assert.Equal(rows.Select(r => r.P), person.GetProperty("p").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()));
            foreach (var name in new[] { "Neutral", "Happiness", "Surprise" })
            {
                long points = (long)browser.Script(
                    "var n = 0; document.querySelectorAll('svg[data-person=\"' + arguments[0] + '\"] polyline[data-series=\"' + arguments[1] + '\"]')" +
                    ".forEach(function (l) { n += l.points.numberOfItems; }); return n", id, name)!;
                Assert.Equal(rows.Count, points);
            }
            // Stretches without the face are gaps: one line per run of frames no more than 3 apart.
            int runs = 1 + rows.Zip(rows.Skip(1)).Count(x => x.Second.Frame - x.First.Frame > 3);
            Assert.Equal(runs, Convert.ToInt32(browser.Script(
                "return document.querySelectorAll('svg[data-person=\"' + arguments[0] + '\"] polyline[data-series=\"Neutral\"]').length", id)));
        }
        Assert.Equal(4, Convert.ToInt32(browser.Script("return document.querySelectorAll('svg[data-person=\"1\"] line.cut').length"))); // 4 shot cuts

        // The video loads and plays.
        browser.Until(d => Convert.ToInt32(d.ExecuteScript("return document.getElementById('video').readyState")) >= 2, "the video to load (readyState >= 2)");
        browser.Script("document.getElementById('video').play()");
        browser.Until(d => Convert.ToDouble(d.ExecuteScript("return document.getElementById('video').currentTime")) > 0.5, "the video to play");
        browser.Script("document.getElementById('video').pause()");
        // The cursor follows it.
        double now = Convert.ToDouble(browser.Script("return document.getElementById('video').currentTime"));
        browser.Until(d => d.FindElement(By.CssSelector("svg[data-person=\"2\"] line.cursor")).GetAttribute("visibility") == "visible", "the cursor");
        double cursorX = Convert.ToDouble(browser.Script("return document.querySelector('svg[data-person=\"2\"] line.cursor').x1.baseVal.value"));
        double duration = json.RootElement.GetProperty("duration").GetDouble();
        Assert.Equal(44 + now / duration * (1000 - 44 - 8), cursorX, 0.5);

        // A click on a timeline seeks the video there: 70% across the plot of person 2 (viewBox 0..1000, plot 44..992).
        var svg = browser.Driver.FindElement(By.CssSelector("svg[data-person=\"2\"]"));
        double width = svg.Size.Width, target = 0.7;
        double viewX = 44 + target * (1000 - 44 - 8);
        int offset = (int)Math.Round(viewX / 1000 * width - width / 2.0);
        new Actions(browser.Driver).MoveToElement(svg, offset, 0).Click().Perform();
        double expected = (Math.Round(viewX / 1000 * width - width / 2.0) + width / 2.0) * 1000 / width;
        expected = (expected - 44) / (1000 - 44 - 8) * duration;
        browser.Until(d => Math.Abs(Convert.ToDouble(d.ExecuteScript("return document.getElementById('video').currentTime")) - expected) < 0.05,
            $"the video to seek to {expected:0.00} s");
        // Hovering shows the frame, the time and the probabilities there.
        Assert.True(browser.Driver.FindElement(By.Id("tip")).Displayed);
        Assert.Matches(@"^person 2( frame \d+, \d+\.\d\d s|: no face)", browser.Driver.FindElement(By.Id("tip")).Text);
        new Actions(browser.Driver).MoveToElement(browser.Driver.FindElement(By.CssSelector("svg[data-person=\"1\"]")), -300, 0).Perform();
        string tip = browser.Driver.FindElement(By.Id("tip")).Text;
        Assert.Matches(@"^person 1 frame \d+, \d+\.\d\d s", tip);
        Assert.Contains("Happiness ", tip);

        var errors = browser.ConsoleErrors();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        browser.Script("window.scrollTo(0, 0)");
        log.WriteLine(browser.Screenshot(Path.Combine(Screenshots, "megamind-report.png")));
    }

    /// <summary>A corpus without ffmpeg (VIDEOFER_FFMPEG=none): the index page links each input's page; a video's page
    /// embeds no video (its annotated.mp4 is MPEG-4 Part 2), says why in one line, and its timelines still work; a
    /// picture's page shows the annotated picture. A single predict prints the page's path; --no-report drops it.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void ACorpusWithoutFfmpegHasAnIndexAndPagesThatSayWhyThereIsNoVideo()
    {
        // The first 48 frames of Megamind (two people) as a short video of its own.
        string clip = Path.Combine(dir, "clip.avi");
        using (var capture = new VideoCapture(TestMedia.Megamind))
        using (var writer = new VideoWriter(clip, FourCC.MJPG, capture.Fps, new OpenCvSharp.Size(capture.FrameWidth, capture.FrameHeight)))
        {
            using var frame = new Mat();
            for (int i = 0; i < 48 && capture.Read(frame); i++) writer.Write(frame);
        }
        string corpus = Path.Combine(dir, "corpus");
        var noFfmpeg = new Dictionary<string, string?> { ["VIDEOFER_FFMPEG"] = "none" };
        var r = CliProcess.RunWith(noFfmpeg, "predict", clip, TestMedia.Messi, "--out", corpus);
        Assert.True(r.ExitCode == 0, r.ToString());
        string index = Path.Combine(corpus, "report.html");
        Assert.Contains($"report: {index}", r.StdOut);
        using (var video = new VideoCapture(Path.Combine(corpus, "clip", "annotated.mp4")))
            Assert.Equal("FMP4", video.FourCC); // MPEG-4 Part 2, as OpenCV's FFmpeg names what the mp4v writer wrote

        using var browser = new Browser();
        browser.Open(index);
        // Videos are rows (the photo is a tile of the photo grid).
        var summary = File.ReadAllLines(Path.Combine(corpus, "summary.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[0] != "messi5").ToList();
        var tile = Assert.Single(browser.Driver.FindElements(By.CssSelector("#grid a.face")));
        Assert.EndsWith("messi5/annotated.jpg", tile.GetAttribute("href"));
        var rows = browser.Driver.FindElements(By.CssSelector("#inputs tbody tr"));
        Assert.Equal(summary.Select(f => f[0]), rows.Select(row => row.GetAttribute("data-name")));
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(summary[i][3..8], rows[i].FindElements(By.CssSelector("td.num")).Select(td => td.Text)); // frames, with a face, faces, tracks, people
        rows[0].FindElement(By.TagName("a")).Click();
        browser.Until(d => d.Url.EndsWith("/clip/report.html", StringComparison.Ordinal), "the input's page");
        browser.Until(d => (string?)d.ExecuteScript("return document.documentElement.getAttribute('data-ready')") == "true", "the page's script");
        Assert.Empty(browser.Driver.FindElements(By.TagName("video")));
        // Megamind at 23.98 frames/s: every 6th frame is a still (4 a second at most), 8 of the 48.
        Assert.Equal("The annotated video is not embedded: VIDEOFER_FFMPEG=none, so annotated.mp4 is MPEG-4 Part 2, which browsers do not play (VLC does). " +
                     "The player shows 8 annotated frames, one every 0.25 s.",
            browser.Driver.FindElement(By.Id("video-note")).Text);
        string stillsDir = Path.Combine(corpus, "clip", "annotated_frames");
        var stills = Directory.GetFiles(stillsDir, "*.jpg").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{1 + 6 * i:000000}.jpg"), stills);
        var manifest = File.ReadAllText(Path.Combine(corpus, "clip", ".videofer-run.json"));
        Assert.All(stills, s => Assert.Contains($"annotated_frames/{s}", manifest)); // the run's own files, replaced and removed with it
        browser.Until(d => (bool)d.ExecuteScript("var i = document.getElementById('still'); return i.complete && i.naturalWidth > 0")!, "the first still");
        Assert.EndsWith("annotated_frames/000001.jpg", (string)browser.Script("return document.getElementById('still').src")!);
        var csv = CsvByPerson(Path.Combine(corpus, "clip", "predictions.csv"));
        Assert.NotEmpty(csv);
        foreach (var (id, personRows) in csv)
            Assert.Equal(personRows.Count, Convert.ToInt32(browser.Script(
                "var n = 0; document.querySelectorAll('svg[data-person=\"' + arguments[0] + '\"] polyline[data-series=\"Neutral\"]')" +
                ".forEach(function (l) { n += l.points.numberOfItems; }); return n", id)));
        // A click in the middle of a timeline moves the cursor and shows the still at or before that time.
        var svg = browser.Driver.FindElement(By.CssSelector("svg[data-person]"));
        new Actions(browser.Driver).MoveToElement(svg).Click().Perform();
        Assert.Equal("visible", svg.FindElement(By.CssSelector("line.cursor")).GetAttribute("visibility"));
        double at = double.Parse(browser.Driver.FindElement(By.Id("still")).GetAttribute("data-time")!, CultureInfo.InvariantCulture);
        using (var clipData = JsonDocument.Parse((string)browser.Script("return document.getElementById('data').textContent")!))
        {
            double duration = clipData.RootElement.GetProperty("duration").GetDouble();
            Assert.Equal(duration / 2, at, 0.1);
            var times = clipData.RootElement.GetProperty("still_time").EnumerateArray().Select(t => t.GetDouble()).ToList();
            int shown = times.FindLastIndex(t => t <= at);
            Assert.EndsWith($"annotated_frames/{stills[shown]}", (string)browser.Script("return document.getElementById('still').src")!);
        }
        // Play advances the time, and the cursor with it.
        browser.Driver.FindElement(By.Id("still-play")).Click();
        browser.Until(d => double.Parse((string)d.ExecuteScript("return document.getElementById('still').getAttribute('data-time')")!, CultureInfo.InvariantCulture) > at + 0.3,
            "the stills to play");
        browser.Driver.FindElement(By.Id("still-play")).Click();
        browser.Screenshot(Path.Combine(Screenshots, "no-ffmpeg-report.png"));
        // Back to the index.
        browser.Driver.FindElement(By.Id("index-link")).Click();
        browser.Until(d => d.Url == new Uri(index).AbsoluteUri, "the corpus's index page");

        // The photo's tile shows its face and links to the annotated photo, which loads.
        browser.Until(d => (bool)d.ExecuteScript("var i = document.querySelector('#grid img'); return i.complete && i.naturalWidth > 0")!, "the face thumbnail");
        browser.Driver.FindElement(By.CssSelector("#grid a.face")).Click();
        browser.Until(d => d.Url.EndsWith("/messi5/annotated.jpg", StringComparison.Ordinal), "the annotated photo");
        Assert.True((bool)browser.Script("var i = document.querySelector('img'); return i != null && i.naturalWidth > 0")!);
        var errors = browser.ConsoleErrors();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // One input: predict prints the page's path at the end; --no-report leaves no page (the earlier one goes with its run).
        string single = Path.Combine(dir, "single");
        var one = CliProcess.Run("predict", TestMedia.Messi, "--out", single);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.EndsWith($"report:          {Path.Combine(single, "report.html")}", one.StdOut.TrimEnd());
        var again = CliProcess.Run("predict", TestMedia.Messi, "--out", single, "--no-report");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(File.Exists(Path.Combine(single, "report.html")));
        Assert.DoesNotContain("report:", again.StdOut);
        Assert.True(File.Exists(Path.Combine(single, "predictions.csv")));
    }
}
