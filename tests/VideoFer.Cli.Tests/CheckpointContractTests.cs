using System.Collections;
using System.Globalization;
using System.Text.Json;
using VideoFer.Models;
using VideoFer.Models.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VideoFer.Cli.Tests;

/// <summary>What a checkpoint knows reaches every output of predict, and bad checkpoints or numeric
/// options of predict and eval are one clear line with exit code 1 (not 3, an internal error).</summary>
public class CheckpointContractTests(ITestOutputHelper log) : TempFolderTest
{
    static readonly string[] Eight = ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];

    /// <summary>An 8-class checkpoint (ABAW 2022+, with Other), end to end: the CSV has 8 named
    /// columns and 8 probabilities per row, the ABAW file the 8-class header, --json counts 8
    /// classes, the annotated picture and the timeline are drawn, and the summary table names the label.</summary>
    [Fact]
    public void AnEightClassCheckpointGivesEightClassesInEveryOutput()
    {
        string ckpt = Path.Combine(dir, "eight.pth");
        var init = CliProcess.Run("model", "init", "--arch", "resnet18", "--classes", "8", "--out", ckpt);
        Assert.True(init.ExitCode == 0, init.ToString());
        string outDir = Path.Combine(dir, "json");
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", outDir, "--model", ckpt, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());

        var csv = File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal("frame,time,track,person,x,y,w,h,score," + string.Join(',', Eight) + ",label", csv[0]);
        Assert.True(csv.Length >= 2, "no face row");
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(9 + 8 + 1, f.Length);
            var p = f[9..17].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(p.Sum(), 0.999, 1.001);
            Assert.Equal(Eight[Array.IndexOf(p, p.Max())], f[17]);
        }
        foreach (var file in Directory.GetFiles(Path.Combine(outDir, "abaw"), "*.txt"))
        {
            var lines = File.ReadAllLines(file);
            Assert.Equal(string.Join(',', Eight), lines[0]);
            Assert.All(lines.Skip(1), l => Assert.InRange(int.Parse(l, CultureInfo.InvariantCulture), 0, 7));
        }
        using var json = JsonDocument.Parse(r.StdOut);
        var counts = json.RootElement.GetProperty("label_counts").EnumerateObject().ToList();
        Assert.Equal(Eight, counts.Select(c => c.Name));
        Assert.Equal(csv.Length - 1, counts.Sum(c => c.Value.GetInt32()));
        Assert.True(File.Exists(Path.Combine(outDir, "annotated.png")));
        Assert.NotEmpty(Directory.GetFiles(outDir, "timeline_person*.png"));
        Assert.EndsWith(",Surprise,Other,thumbnail", File.ReadLines(Path.Combine(outDir, "people.csv")).First());

        // The summary table of a plain run names the label of the (single-frame) person.
        var table = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Path.Combine(dir, "table"), "--model", ckpt, "--no-video");
        Assert.True(table.ExitCode == 0, table.ToString());
        string label = csv[1].Split(',')[17];
        Assert.Contains($"{label} 100%", table.StdOut);
    }

    /// <summary>The command line end to end: a run trained at input 64 / resize 72 on synthetic data;
    /// `videofer eval` on its best.pth prints exactly the S the trainer recorded in validation.csv
    /// (it used to resize to 256 and score the central quarter of each face).</summary>
    [Fact]
    public void EvalOnARunsBestCheckpointPrintsTheTrainersValidationScore()
    {
        string synth = Path.Combine(dir, "synth"), run = Path.Combine(dir, "run");
        var data = CliProcess.Run("data", "synth", "--out", synth, "--videos", "6", "--seed", "3", "--frames-min", "40", "--frames-max", "60",
            "--size", "64", "--affectnet-images", "0", "--json");
        Assert.True(data.ExitCode == 0, data.ToString());
        // A few Adam steps: the labels still vary with the input, so the resize shows in S.
        var train = CliProcess.Run("train", "--out", run, "--stage", "clips", "--affwild2", synth, "--arch", "resnet18", "--batch-size", "2",
            "--lr", "0.001", "--seed", "4", "--iterations", "3", "--set", "optimizer=adam", "--set", "checkpoint_every=3",
            "--set", "input_size=64", "--set", "base_size=72", "--set", "clip_length=4", "--set", "lstm_hidden=32", "--set", "fc_hidden=32",
            "--set", "val_split=train", "--set", "workers=1", "--set", "threads=2");
        Assert.True(train.ExitCode == 0, train.ToString());
        var recorded = File.ReadAllLines(Path.Combine(run, "validation.csv")).Skip(1).Single().Split(',');

        double EvalS(params string[] extra)
        {
            var r = CliProcess.Run(["eval", "--checkpoint", Path.Combine(run, "best.pth"), "--affwild2", synth, "--split", "train", "--json", .. extra]);
            Assert.True(r.ExitCode == 0, r.ToString());
            using var json = JsonDocument.Parse(r.StdOut);
            return json.RootElement.GetProperty("s").GetDouble();
        }
        double trained = EvalS(), resized = EvalS("--base-size", "256");
        log.WriteLine($"validation.csv S {recorded[3]}; eval S {trained:R}; eval --base-size 256 S {resized:R}");
        Assert.Equal(double.Parse(recorded[3], CultureInfo.InvariantCulture), trained);
        Assert.NotEqual(trained, resized);
    }

    /// <summary>Checkpoint metadata "{}" used to end in a NullReferenceException (exit 3).</summary>
    [Fact]
    public void EmptyMetadataIsOneLineNamingTheCheckpoint()
    {
        string ckpt = Path.Combine(dir, "empty-meta.pth");
        using (var net = new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18", LstmHidden = 8, FcHidden = 8 }))
            StateDictFile.WriteObject(ckpt, new Hashtable { ["model"] = net.state_dict(), ["videofer"] = "{}" });
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Path.Combine(dir, "out"), "--model", ckpt);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {ckpt}: VideoFer metadata lacks 'format' (got {{}})", r.StdErr.Trim());
    }

    /// <summary>NaN weights used to be labelled Neutral on every face.</summary>
    [Fact]
    public void NaNWeightsAreRefusedNamingTheCheckpoint()
    {
        string ckpt = Path.Combine(dir, "nan.pth");
        using (var net = new ExpressionNet(new ExpressionNetConfig { Arch = "resnet18", LstmHidden = 8, FcHidden = 8 }))
        {
            using (no_grad())
                net.state_dict()["temporal.weight_ih_l0"].fill_(float.NaN);
            Checkpoint.Save(ckpt, net);
        }
        string outDir = Path.Combine(dir, "out");
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", outDir, "--model", ckpt);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {ckpt}: weight 'temporal.weight_ih_l0' holds NaN or infinite values (a diverged training?); it cannot give probabilities", r.StdErr.Trim());
        Assert.False(File.Exists(Path.Combine(outDir, "predictions.csv")));
    }

    /// <summary>Numeric options out of range are refused before any work, with exit code 1
    /// (eval --batch-clips 0 used to be an internal error, exit 3).</summary>
    [Theory]
    [InlineData("eval --batch-clips 0", "--batch-clips 0: expected at least 1")]
    [InlineData("eval --batch-clips -2", "--batch-clips -2: expected at least 1")]
    [InlineData("predict --smooth -1", "--smooth -1: expected 0 (off) or a positive number of frames")]
    [InlineData("predict --base-size 300", "--base-size 300: applies to --model checkpoints only (the per-frame models cut their own face squares)")]
    public void OutOfRangeNumbersAreOneClearLine(string command, string message)
    {
        var words = command.Split(' ');
        string outDir = Path.Combine(dir, "out");
        string[] args = words[0] == "eval"
            ? ["eval", "--checkpoint", Path.Combine(dir, "none.pth"), "--affwild2", dir, .. words[1..]]
            : ["predict", TestMedia.Path("messi5.jpg"), "--out", outDir, .. words[1..]];
        var r = CliProcess.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"videofer: error: {message}", r.StdErr.Trim());
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>predict --base-size below the network's input size names the option and the bound.</summary>
    [Fact]
    public void ABaseSizeBelowTheInputSizeIsRefused()
    {
        string ckpt = Path.Combine(dir, "clip.pth");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18", "--out", ckpt).ExitCode);
        var r = CliProcess.Run("predict", TestMedia.Path("messi5.jpg"), "--out", Path.Combine(dir, "out"), "--model", ckpt, "--base-size", "100");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("videofer: error: --base-size 100: expected a side from the network's input size (224) to 4096 pixels", r.StdErr.Trim());
    }
}
