using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer score` run as a real process on ground truth and predictions written here. The
/// numbers are checked against scikit-learn (the reference script the Core metric tests use).</summary>
public class ScoreCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-score-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    const string Header7 = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise";
    const string Header8 = Header7 + ",Other";

    string Gt => Path.Combine(dir, "gt");
    string Pred => Path.Combine(dir, "pred");

    /// <summary>Writes random annotations and predictions; returns (stem, truth, prediction) per video.</summary>
    List<(string Stem, int[] Truth, int[] Pred)> Write(int classes, int seed, int videos = 3)
    {
        var r = new Random(seed);
        Directory.CreateDirectory(Gt);
        Directory.CreateDirectory(Pred);
        var header = classes == 7 ? Header7 : Header8;
        var result = new List<(string, int[], int[])>();
        for (int v = 0; v < videos; v++)
        {
            var stem = v == 1 ? "12-24-1920x1080_left" : $"video{v}";
            int n = r.Next(40, 120);
            var truth = Enumerable.Range(0, n).Select(_ => r.NextDouble() < 0.1 ? -1 : r.Next(classes - 1)).ToArray(); // last class absent from truth
            var pred = truth.Select(t => t >= 0 && r.NextDouble() < 0.6 ? t : r.Next(classes - 1)).ToArray();
            File.WriteAllLines(Path.Combine(Gt, stem + ".txt"), truth.Select(x => x.ToString()).Prepend(header));
            File.WriteAllLines(Path.Combine(Pred, stem + ".txt"), pred.Select(x => x.ToString()).Prepend(header));
            result.Add((stem, truth, pred));
        }
        return result;
    }

    static JsonElement Sklearn(IEnumerable<int> truth, IEnumerable<int> pred, int classes) =>
        TestSupport.Sklearn.Score([.. truth], [.. pred], classes);

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Json_output_matches_scikit_learn(int classes)
    {
        var videos = Write(classes, classes);
        var r = CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        var sk = Sklearn(videos.SelectMany(v => v.Truth), videos.SelectMany(v => v.Pred), classes);
        Assert.Equal(sk.GetProperty("accuracy").GetDouble(), json.GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.Equal(sk.GetProperty("f1_present").GetDouble(), json.GetProperty("f1").GetDouble(), 1e-12);
        Assert.Equal(0.67 * sk.GetProperty("f1_present").GetDouble() + 0.33 * sk.GetProperty("accuracy").GetDouble(), json.GetProperty("s").GetDouble(), 1e-12);
        var perClass = json.GetProperty("per_class_f1").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var skPerClass = sk.GetProperty("f1").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(classes, perClass.Length);
        for (int c = 0; c < classes; c++)
            Assert.Equal(skPerClass[c], perClass[c], 1e-12);
        Assert.Equal(videos.Sum(v => v.Truth.Count(t => t >= 0)), json.GetProperty("frames").GetInt64());
        static long[][] Matrix(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(Matrix(sk.GetProperty("confusion")), Matrix(json.GetProperty("confusion")));

        var all = CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--json", "--all-classes");
        Assert.Equal(sk.GetProperty("f1_all").GetDouble(), JsonDocument.Parse(all.StdOut).RootElement.GetProperty("f1").GetDouble(), 1e-12);
    }

    [Fact]
    public void Tables_show_the_scores_and_the_png_is_written()
    {
        Write(7, 1);
        var png = Path.Combine(dir, "plots", "confusion.png");
        var r = CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--png", png);
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--json").StdOut).RootElement;
        Assert.Contains(json.GetProperty("accuracy").GetDouble().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), r.StdOut);
        Assert.Contains("S = 0.67 F1 + 0.33 Acc", r.StdOut);
        Assert.Contains("confusion matrix", r.StdOut);
        Assert.Contains("Happiness", r.StdOut);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal([png], Directory.GetFiles(Path.Combine(dir, "plots"))); // no temporary file left
    }

    [Fact]
    public void A_2024_csv_is_scored_like_the_txt_files()
    {
        var videos = Write(8, 3);
        var csv = Path.Combine(dir, "submission.csv");
        File.WriteAllLines(csv, videos.SelectMany(v => v.Pred.Select((p, i) => $"{v.Stem}/{i + 1:D5}.jpg,{p}")).Prepend("image_location," + Header8));
        var fromTxt = CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--json");
        var fromCsv = CliProcess.Run("score", "--gt", Gt, "--pred", csv, "--json");
        Assert.True(fromCsv.ExitCode == 0, fromCsv.ToString());
        foreach (var key in new[] { "accuracy", "f1", "s", "frames", "confusion" })
            Assert.Equal(JsonDocument.Parse(fromTxt.StdOut).RootElement.GetProperty(key).ToString(), JsonDocument.Parse(fromCsv.StdOut).RootElement.GetProperty(key).ToString());
    }

    [Fact]
    public void A_count_off_by_one_is_accepted_and_said()
    {
        var videos = Write(7, 4);
        var file = Path.Combine(Pred, videos[0].Stem + ".txt");
        File.AppendAllLines(file, ["0"]);
        var r = CliProcess.Run("score", "--gt", Gt, "--pred", Pred);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"{videos[0].Stem}: {videos[0].Pred.Length + 1} predictions for {videos[0].Truth.Length} annotated frames; tolerated", r.StdOut.Replace("\n", " ").Replace("  ", " "));
        var json = JsonDocument.Parse(CliProcess.Run("score", "--gt", Gt, "--pred", Pred, "--json").StdOut).RootElement;
        Assert.Equal(videos[0].Stem, json.GetProperty("tolerated_count_mismatches")[0].GetProperty("stem").GetString());
    }

    [Fact]
    public void Bad_predictions_fail_with_file_and_line()
    {
        var videos = Write(7, 5);
        var file = Path.Combine(Pred, videos[2].Stem + ".txt");
        var lines = File.ReadAllLines(file);

        File.WriteAllLines(file, lines.Take(lines.Length - 2));
        var shortBy2 = CliProcess.Run("score", "--gt", Gt, "--pred", Pred);
        Assert.Equal(1, shortBy2.ExitCode);
        Assert.StartsWith($"videofer: error: {file}:{lines.Length - 2}: {lines.Length - 3} predictions for video {videos[2].Stem}", shortBy2.StdErr);
        Assert.Contains("a difference of 1 frame is tolerated", shortBy2.StdErr);

        lines[4] = "4.5";
        File.WriteAllLines(file, lines);
        var nonInteger = CliProcess.Run("score", "--gt", Gt, "--pred", Pred);
        Assert.Equal(1, nonInteger.ExitCode);
        Assert.Equal($"videofer: error: {file}:5: expected one integer label from 0 to 6, got '4.5'", nonInteger.StdErr.Trim());

        lines[0] = "Neutral,Anger";
        File.WriteAllLines(file, lines);
        var header = CliProcess.Run("score", "--gt", Gt, "--pred", Pred);
        Assert.Equal(1, header.ExitCode);
        Assert.StartsWith($"videofer: error: {file}:1: expected the header '{Header7}'", header.StdErr);

        File.Delete(file);
        var missing = CliProcess.Run("score", "--gt", Gt, "--pred", Pred);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith($"videofer: error: {file}: missing", missing.StdErr);
        Assert.DoesNotContain("   at ", missing.StdErr); // no stack trace without --verbose
    }

    [Fact]
    public void Help_mentions_the_tolerance()
    {
        var r = CliProcess.Run("score", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("off by one frame is tolerated", r.StdOut.Replace("\n", " ").Replace("  ", " "));
    }

    /// <summary>The VA and AU scoring options: a bad task, an expression option with another task, a folder without that
    /// task's annotations, each one line naming what is wrong.</summary>
    [Theory]
    [InlineData("gaze", new string[0], "--task: unknown task 'gaze' (known: expr, va, au)")]
    [InlineData("va,au", new string[0], "--task va,au: score one task at a time (expr, va or au)")]
    [InlineData("va", new[] { "--classes", "7" }, "--classes applies to --task expr")]
    [InlineData("au", new string[0], "no Aff-Wild2 annotations of the task(s) au found")]
    public void Task_options_and_missing_annotations_are_one_line(string task, string[] extra, string message)
    {
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        var r = CliProcess.Run(["score", "--task", task, "--gt", Path.Combine(dir, "empty"), "--pred", dir, .. extra]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }
}
