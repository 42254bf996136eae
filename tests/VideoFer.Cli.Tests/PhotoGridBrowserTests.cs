using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using OpenQA.Selenium;
using VideoFer.Inference.Corpus;
using VideoFer.IO;
using VideoFer.Sharding;
using Xunit.Abstractions;

namespace VideoFer.Cli.Tests;

/// <summary>The corpus page of a 10,000-photo collection in Debian's chromium: it opens quickly (the grid draws a page
/// of faces at a time), its filters by expression and by person show exactly the faces of the data, and a face links
/// to its annotated photo. The collection is generated here in the layout predict writes (each photo's folder with
/// its record, summary.json, faces.json and face thumbnail), so that the page is made by the corpus writer itself.</summary>
[Trait("Category", "Slow")]
public class PhotoGridBrowserTests(ITestOutputHelper output) : TempFolderTest
{
    const int Photos = 10_000;

    [Fact]
    public void A_ten_thousand_photo_corpus_page_opens_quickly_and_filters_by_expression_and_person()
    {
        string root = Path.Combine(dir, "corpus");
        var classes = ExpressionClasses.Seven;
        var inputs = Enumerable.Range(1, Photos).Select(i => new CorpusInput($"photo{i:00000}", $"/photos/photo{i:00000}.jpg")).ToList();
        var settings = new CorpusSettings("default", 3, 2, true, null);
        using (var thumb = new Mat(96, 96, MatType.CV_8UC3, new Scalar(90, 140, 200)))
        {
            Cv2.ImEncode(".jpg", thumb, out var jpeg);
            using var folder = CorpusFolder.Open(root, inputs, settings, ShardSpec.All, force: false);
            folder.Begin(classes);
            var random = new Random(5);
            foreach (var input in inputs)
            {
                string photo = Path.Combine(root, input.Name);
                Directory.CreateDirectory(Path.Combine(photo, "faces"));
                File.WriteAllBytes(Path.Combine(photo, "faces", "1.jpg"), jpeg);
                File.WriteAllBytes(Path.Combine(photo, "annotated.jpg"), jpeg);
                File.WriteAllText(Path.Combine(photo, "predictions.csv"),
                    "frame,time,track,person,x,y,w,h,score," + string.Join(',', classes) + ",label\n1,0,1,1,10,10,80,80,0.9,0.1,0.1,0.1,0.1,0.4,0.1,0.1,Happiness\n");
                // One face per photo, its label cycling through the classes; 500 people, each in 20 photos.
                int label = random.Next(classes.Count);
                var p = Enumerable.Range(0, classes.Count).Select(k => k == label ? 0.7f : 0.05f).ToArray();
                var identity = new float[16];
                identity[int.Parse(input.Name[5..]) % 16] = 1;
                File.WriteAllText(Path.Combine(photo, "faces.json"), JsonSerializer.Serialize(new[]
                {
                    new { face = 1, box = new[] { 10f, 10f, 80f, 80f }, score = 0.9f, label = classes[label], probabilities = p, thumbnail = "faces/1.jpg",
                          identity = (string?)null },
                }));
                var counts = classes.ToDictionary(c => c, c => c == classes[label] ? 1 : 0);
                File.WriteAllText(Path.Combine(photo, "summary.json"), JsonSerializer.Serialize(new { kind = "photo", frames = 1, frames_with_face = 1, faces = 1, tracks = 1, label_counts = counts, seconds = 0.01 }));
                File.WriteAllText(Path.Combine(photo, OutputFolder.ManifestName), JsonSerializer.Serialize(
                    new RunManifest("predict", input.Source, DateTimeOffset.UnixEpoch, ["annotated.jpg", "faces.json", "faces/1.jpg", "predictions.csv", "summary.json"])));
            }
            Assert.True(folder.WriteCorpusFiles().Written);
        }
        string index = Path.Combine(root, "report.html");
        output.WriteLine($"report.html: {new FileInfo(index).Length / 1024} KB for {Photos} photos");

        using var browser = new Browser();
        var clock = Stopwatch.StartNew();
        browser.Open(index);
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"opened and drawn in {seconds:0.00} s");
        Assert.Equal(240, browser.Driver.FindElements(By.CssSelector("#grid a.face")).Count); // the first page only
        Assert.Equal($"{Photos} faces, 240 shown", browser.Driver.FindElement(By.Id("grid-count")).Text);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#inputs tbody tr")));          // photos are not table rows

        // By expression: exactly the faces of that label in the page's data.
        long Count(string script) => (long)browser.Script(script)!;
        long happy = Count("return JSON.parse(document.getElementById('data').textContent).faces.filter(function (f) { return f[2] === 4; }).length");
        Choose(browser, "4"); // Happiness
        browser.Until(d => d.FindElement(By.Id("grid-count")).Text.StartsWith($"{happy} faces"), "the expression filter");
        Assert.All(browser.Driver.FindElements(By.CssSelector("#grid a.face")), a => Assert.Equal("Happiness", a.GetAttribute("data-label")));

        // By person (no descriptors here: every face is its own person), then a click opens the annotated photo.
        Choose(browser, "");
        var person = browser.Driver.FindElement(By.Id("filter-person"));
        person.SendKeys("7");
        browser.Until(d => d.FindElement(By.Id("grid-count")).Text == "1 faces", "the person filter");
        var tile = browser.Driver.FindElement(By.CssSelector("#grid a.face"));
        Assert.Equal("7", tile.GetAttribute("data-person"));
        tile.Click();
        browser.Until(d => d.Url.EndsWith("/photo00007/annotated.jpg", StringComparison.Ordinal), "the annotated photo");
        Assert.Empty(browser.ConsoleErrors());
    }

    /// <summary>Picks an option of the expression filter as a user does (the change event included).</summary>
    static void Choose(Browser browser, string value) =>
        browser.Script("var s = document.getElementById('filter-label'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", value);
}
