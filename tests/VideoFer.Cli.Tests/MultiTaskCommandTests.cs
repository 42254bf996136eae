using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace VideoFer.Cli.Tests;

/// <summary>ABAW's three tasks from the command line: synthetic data with expression, valence-arousal and AU labels;
/// a multi-task run; eval printing and writing every task; score of the VA and AU files against the annotations giving
/// eval's figures; predict on Megamind.avi with valence, arousal and AU columns and the ABAW VA/AU files.</summary>
[Trait("Category", "Slow")]
public class MultiTaskCommandTests(ITestOutputHelper log) : TempFolderTest
{
    [Fact]
    public void TrainEvalScoreAndPredictCarryValenceArousalAndActionUnits()
    {
        string synth = Path.Combine(dir, "synth"), run = Path.Combine(dir, "run"), eval = Path.Combine(dir, "eval"), predict = Path.Combine(dir, "predict");
        var data = CliProcess.Run("data", "synth", "--out", synth, "--videos", "6", "--seed", "3", "--frames-min", "40", "--frames-max", "60",
            "--size", "64", "--affectnet-images", "0", "--edition", "2021", "--json");
        Assert.True(data.ExitCode == 0, data.ToString());
        var train = CliProcess.Run("train", "--out", run, "--stage", "clips", "--affwild2", synth, "--arch", "resnet18", "--batch-size", "2",
            "--lr", "0.001", "--seed", "4", "--iterations", "4", "--set", "optimizer=adam", "--set", "checkpoint_every=4", "--set", "tasks=expr,va,au",
            "--set", "input_size=64", "--set", "base_size=72", "--set", "clip_length=4", "--set", "lstm_hidden=32", "--set", "fc_hidden=32",
            "--set", "workers=1", "--set", "threads=2");
        Assert.True(train.ExitCode == 0, train.ToString());
        string said = System.Text.RegularExpressions.Regex.Replace(train.StdOut, @"\s+", " "); // lines wrap at the console width
        Assert.Contains("best validation multi-task score (S + VA CCC + AU score)", said);
        Assert.Matches(@"VA CCC -?\d\.\d{4}/-?\d\.\d{4} \(mean -?\d\.\d{4}, \d+ frames\); AU F1 \d\.\d{4}", said);

        var e = CliProcess.Run("eval", "--checkpoint", Path.Combine(run, "best.pth"), "--affwild2", synth, "--out", eval, "--json");
        Assert.True(e.ExitCode == 0, e.ToString());
        using var evalJson = JsonDocument.Parse(e.StdOut);
        var va = evalJson.RootElement.GetProperty("valence_arousal");
        var au = evalJson.RootElement.GetProperty("action_units");
        Assert.Equal("expr,va,au", evalJson.RootElement.GetProperty("tasks").GetString());
        Assert.Equal(12, au.GetProperty("per_au").GetArrayLength()); // the 2021 list
        string[] validation = File.ReadAllLines(Path.Combine(run, "validation_tasks.csv"))[1].Split(',');
        Assert.Equal(double.Parse(validation[3], CultureInfo.InvariantCulture), va.GetProperty("score").GetDouble(), 5);

        // The VA and AU files eval wrote, scored against the annotations as the organisers would: eval's figures.
        var scoreVa = CliProcess.Run("score", "--task", "va", "--gt", synth, "--pred", Path.Combine(eval, "VA"), "--json");
        Assert.True(scoreVa.ExitCode == 0, scoreVa.ToString());
        using (var s = JsonDocument.Parse(scoreVa.StdOut))
            Assert.Equal(va.GetProperty("score").GetDouble(), s.RootElement.GetProperty("score").GetDouble(), 5); // the files hold 9 digits
        var scoreAu = CliProcess.Run("score", "--task", "au", "--gt", synth, "--pred", Path.Combine(eval, "AU"), "--json");
        Assert.True(scoreAu.ExitCode == 0, scoreAu.ToString());
        using (var s = JsonDocument.Parse(scoreAu.StdOut))
        {
            Assert.Equal(au.GetProperty("mean_f1").GetDouble(), s.RootElement.GetProperty("mean_f1").GetDouble(), 9);
            Assert.Equal(au.GetProperty("score").GetDouble(), s.RootElement.GetProperty("score").GetDouble(), 9);
        }

        var p = CliProcess.Run("predict", TestMedia.Megamind, "--model", Path.Combine(run, "best.pth"), "--out", predict, "--no-video", "--json");
        Assert.True(p.ExitCode == 0, p.ToString());
        var csv = File.ReadAllLines(Path.Combine(predict, "predictions.csv"));
        string[] aus = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];
        var header = csv[0].Split(',');
        Assert.Equal(["label", "valence", "arousal", .. aus], header[^15..]);
        Assert.True(csv.Length > 300, $"{csv.Length} lines");
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(header.Length, f.Length);
            var values = f[^14..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.All(values[..2], v => Assert.InRange(v, -1, 1));
            Assert.All(values[2..], v => Assert.InRange(v, 0, 1));
        }
        log.WriteLine(csv[1]);
        // ABAW files per person: expression as before, VA and AU beside them with one line per video frame.
        var abaw = Path.Combine(predict, "abaw");
        var people = Directory.GetFiles(abaw, "*.txt").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(people, Directory.GetFiles(Path.Combine(abaw, "VA")).Select(Path.GetFileName).Order());
        Assert.Equal(people, Directory.GetFiles(Path.Combine(abaw, "AU")).Select(Path.GetFileName).Order());
        var vaFile = File.ReadAllLines(Path.Combine(abaw, "VA", people[0]!));
        Assert.Equal("valence,arousal", vaFile[0]);
        Assert.Equal(270 + 1, vaFile.Length);
        var auFile = File.ReadAllLines(Path.Combine(abaw, "AU", people[0]!));
        Assert.Equal(string.Join(',', aus), auFile[0]);
        Assert.All(auFile.Skip(1), l => Assert.Matches("^[01](,[01]){11}$", l));
    }
}
