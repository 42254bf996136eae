using VideoFer.Datasets;
using VideoFer.Datasets.RafDb;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

public class RafDbTests
{
    static readonly string[] RafNames = ["Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral"];

    [Fact]
    public void Labels_map_to_the_ABAW_class_of_the_same_name()
    {
        for (int code = 1; code <= 7; code++)
            Assert.Equal(RafNames[code - 1], ExpressionClasses.Seven[RafDbCodes.ToAbaw(code)]);
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Reads_list_splits_labels_and_aligned_images(TextVariant variant)
    {
        using var tmp = new TempDir();
        var r = new Random(7);
        var rows = Enumerable.Range(1, 30).Select(i => (Name: $"train_{i:D5}.jpg", Code: r.Next(1, 8)))
            .Concat(Enumerable.Range(1, 12).Select(i => (Name: $"test_{i:D4}.jpg", Code: r.Next(1, 8)))).ToList();
        tmp.Write("basic/EmoLabel/list_patition_label.txt", TextVariants.Render(rows.Select(x => $"{x.Name} {x.Code}"), variant));
        foreach (var (name, _) in rows.Where((_, i) => i % 4 != 0))
            tmp.Write($"basic/Image/aligned/{Path.GetFileNameWithoutExtension(name)}_aligned.jpg", []);

        var reader = RafDbReader.Open(tmp.Path);
        var items = reader.Items().ToList();
        Assert.Equal(rows.Count, items.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var stem = Path.GetFileNameWithoutExtension(rows[i].Name);
            Assert.Equal(stem, items[i].Stem);
            Assert.Equal(rows[i].Name.StartsWith("train") ? Splits.Train : Splits.Test, items[i].Split);
            Assert.Equal(RafDbCodes.ToAbaw(rows[i].Code), items[i].Label);
            Assert.Equal(i % 4 != 0 ? tmp.Combine("basic", "Image", "aligned", stem + "_aligned.jpg") : null, items[i].ImagePath);
        }
        Assert.Equal(12, reader.Items(Splits.Test).Count());
    }

    [Theory]
    [InlineData("train_00002.jpg 8", "expected a label from 1 to 7, got '8'")]
    [InlineData("val_00002.jpg 3", "expected an image name starting with train_ or test_")]
    [InlineData("train_00002.jpg", "expected '<name> <label>'")]
    [InlineData("train_00002.jpg 3 4", "expected '<name> <label>'")]
    public void Bad_lines_name_file_and_line_or_are_skipped(string line, string message)
    {
        using var tmp = new TempDir();
        var file = tmp.Write("EmoLabel/list_patition_label.txt", $"train_00001.jpg 5\n{line}\ntest_0001.jpg 1\n");
        var e = Assert.Throws<VideoFerException>(() => RafDbReader.Open(tmp.Path).Items().ToList());
        Assert.Equal($"{file}:2: {message}", e.Message[..(file.Length + 4 + message.Length)]);
        var warnings = new List<string>();
        var lenient = RafDbReader.Open(tmp.Path, new ReadOptions { Lenient = true, Warning = warnings.Add });
        Assert.Equal(["train_00001", "test_0001"], lenient.Items().Select(i => i.Stem));
        Assert.Single(warnings);
    }
}
