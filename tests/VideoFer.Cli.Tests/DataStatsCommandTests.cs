using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>`videofer data stats` run as a real process on small dataset trees written here; expected
/// counts are computed from the labels the test wrote.</summary>
public class DataStatsCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-cli-stats-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    const string Header8 = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";

    /// <summary>A 2024-layout copy with two image roots; returns labels and image flags per split.</summary>
    Dictionary<string, List<(int[] Labels, bool[] HasImage)>> WriteAffWild2(int seed)
    {
        var r = new Random(seed);
        var result = new Dictionary<string, List<(int[], bool[])>> { ["train"] = [], ["validation"] = [] };
        foreach (var (split, folder) in new[] { ("train", "Train_Set"), ("validation", "Validation_Set") })
            for (int v = 0; v < 3; v++)
            {
                var stem = v == 2 ? $"{split}-vid_right" : $"{split}-{v}";
                int n = r.Next(15, 50);
                var labels = Enumerable.Range(0, n).Select(_ => r.NextDouble() < 0.15 ? -1 : r.Next(8)).ToArray();
                var has = Enumerable.Range(0, n).Select(_ => r.NextDouble() > 0.1).ToArray();
                var annotation = Path.Combine(dir, "aw", "EXPR_Recognition_Challenge", folder, stem + ".txt");
                Directory.CreateDirectory(Path.GetDirectoryName(annotation)!);
                File.WriteAllText(annotation, "\uFEFF" + string.Join("\r\n", labels.Select(l => l.ToString()).Prepend(Header8)));
                var root = Path.Combine(dir, "aw", v == 1 ? "cropped_aligned_new_50_vids" : "cropped_aligned", stem);
                Directory.CreateDirectory(root);
                for (int f = 1; f <= n; f++)
                    if (has[f - 1]) File.WriteAllBytes(Path.Combine(root, $"{f:D5}.jpg"), []);
                result[split].Add((labels, has));
            }
        File.WriteAllLines(Path.Combine(dir, "aw", "EXPR_Recognition_Challenge", "Expression_Recognition_Challenge_test_set_release.txt"), ["a", "b"]);
        return result;
    }

    static long Windows(int[] labels, bool[] has, int length) =>
        Enumerable.Range(0, Math.Max(0, labels.Length - length + 1))
            .Count(s => Enumerable.Range(s, length).All(i => has[i] && labels[i] >= 0));

    [Fact]
    public void AffWild2_json_counts_match_what_was_written()
    {
        var written = WriteAffWild2(1);
        var r = CliProcess.Run("data", "stats", "--affwild2", Path.Combine(dir, "aw"), "--clip-length", "6", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var aw = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("affwild2");
        Assert.Equal("2024", aw.GetProperty("edition").GetString());
        Assert.Equal(2, aw.GetProperty("image_roots").GetArrayLength());
        Assert.Equal(2, aw.GetProperty("test_videos").GetInt32());
        foreach (var split in aw.GetProperty("splits").EnumerateArray())
        {
            var videos = written[split.GetProperty("split").GetString()!];
            Assert.Equal(videos.Count, split.GetProperty("videos").GetInt32());
            Assert.Equal(videos.Sum(v => v.Labels.Length), split.GetProperty("frames").GetInt64());
            Assert.Equal(videos.Sum(v => v.Labels.Count(l => l == -1)), split.GetProperty("ignored_frames").GetInt64());
            Assert.Equal(videos.Sum(v => v.HasImage.Count(h => !h)), split.GetProperty("missing_images").GetInt64());
            Assert.Equal(videos.Sum(v => Windows(v.Labels, v.HasImage, 6)), split.GetProperty("valid_windows").GetInt64());
            var counts = split.GetProperty("class_counts");
            Assert.Equal(videos.Sum(v => v.Labels.Count(l => l == 7)), counts.GetProperty("Other").GetInt64());
            Assert.Equal(videos.Sum(v => v.Labels.Count(l => l == 0)), counts.GetProperty("Neutral").GetInt64());
        }
    }

    [Fact]
    public void Explicit_cropped_roots_replace_the_detected_ones_and_tables_print()
    {
        var written = WriteAffWild2(2);
        var r = CliProcess.Run("data", "stats", "--affwild2", Path.Combine(dir, "aw"), "--cropped", Path.Combine(dir, "aw", "cropped_aligned"), "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var train = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("affwild2").GetProperty("splits")[0];
        // Video 1 of each split lives in the other root, so all its frames are missing now.
        var videos = written["train"];
        long expected = videos.Where((_, i) => i != 1).Sum(v => v.HasImage.Count(h => !h)) + videos[1].Labels.Length;
        Assert.Equal(expected, train.GetProperty("missing_images").GetInt64());

        var table = CliProcess.Run("data", "stats", "--affwild2", Path.Combine(dir, "aw"));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Aff-Wild2 2024", table.StdOut);
        Assert.Contains("valid windows (L=8)", table.StdOut);
        Assert.Contains("validation", table.StdOut);
    }

    [Fact]
    public void AffectNet_and_RafDb_are_counted()
    {
        var lists = Path.Combine(dir, "an", "Manually_Annotated_file_lists");
        Directory.CreateDirectory(lists);
        var codes = new[] { 0, 1, 1, 7, 8, 10, 6 };
        File.WriteAllLines(Path.Combine(lists, "validation.csv"), codes.Select((c, i) => $"1/{i}.jpg,1,2,3,4,1;2,{c},0.1,0.2"));
        var raf = Path.Combine(dir, "raf", "basic", "EmoLabel");
        Directory.CreateDirectory(raf);
        File.WriteAllLines(Path.Combine(raf, "list_patition_label.txt"), ["train_00001.jpg 7", "train_00002.jpg 4", "test_0001.jpg 1"]);

        var r = CliProcess.Run("data", "stats", "--affectnet", Path.Combine(dir, "an"), "--rafdb", Path.Combine(dir, "raf"), "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        var an = json.GetProperty("affectnet").GetProperty("splits")[0];
        Assert.Equal(codes.Length, an.GetProperty("frames").GetInt64());
        Assert.Equal(codes.Count(c => c >= 7), an.GetProperty("dropped").GetInt64());
        Assert.Equal(2, an.GetProperty("class_counts").GetProperty("Happiness").GetInt64());
        Assert.Equal(codes.Length, an.GetProperty("missing_images").GetInt64());
        var rafSplits = json.GetProperty("rafdb").GetProperty("splits");
        Assert.Equal("train", rafSplits[0].GetProperty("split").GetString());
        Assert.Equal(1, rafSplits[0].GetProperty("class_counts").GetProperty("Neutral").GetInt64());
        Assert.Equal(1, rafSplits[1].GetProperty("class_counts").GetProperty("Surprise").GetInt64());

        var eight = CliProcess.Run("data", "stats", "--affectnet", Path.Combine(dir, "an"), "--classes", "8", "--json");
        var an8 = JsonDocument.Parse(eight.StdOut).RootElement.GetProperty("affectnet").GetProperty("splits")[0];
        Assert.Equal(1, an8.GetProperty("class_counts").GetProperty("Other").GetInt64());
    }

    [Fact]
    public void Malformed_annotations_stop_or_are_skipped_with_lenient()
    {
        WriteAffWild2(3);
        var file = Directory.GetFiles(Path.Combine(dir, "aw", "EXPR_Recognition_Challenge", "Train_Set")).Order().First();
        var lines = File.ReadAllLines(file);
        lines[3] = "9";
        File.WriteAllLines(file, lines);
        var strict = CliProcess.Run("data", "stats", "--affwild2", Path.Combine(dir, "aw"));
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal($"videofer: error: {file}:4: expected one integer label from -1 to 7, got '9'", strict.StdErr.Trim());
        var lenient = CliProcess.Run("data", "stats", "--affwild2", Path.Combine(dir, "aw"), "--lenient");
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Contains($"videofer: warning: {file}:4:", lenient.StdErr);
    }

    [Fact]
    public void No_dataset_or_a_wrong_root_is_a_one_line_error()
    {
        var none = CliProcess.Run("data", "stats");
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("videofer: error: give at least one dataset: --affwild2, --affectnet or --rafdb", none.StdErr.Trim());
        var wrong = CliProcess.Run("data", "stats", "--affwild2", dir);
        Assert.Equal(1, wrong.ExitCode);
        Assert.StartsWith($"videofer: error: {dir}: no Aff-Wild2 annotations found; expected annotations/EXPR_Set/Training_Set (2020)", wrong.StdErr);
    }
}
