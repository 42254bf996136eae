using VideoFer.Datasets.LabelledImages;

namespace VideoFer.Tests.Datasets;

/// <summary>Labelled pictures as exports lay them out: CSV (header or not, BOM, CRLF), class folders, labels.csv.</summary>
public class LabelledImageSetTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-labelled-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Image(string relative)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF]); // only its existence is read here
        return path;
    }

    [Theory]
    [InlineData("image,label\na.jpg,happy\nb.jpg,Angry\nc.jpg,contempt\n")]
    [InlineData("\uFEFFa.jpg,happiness\r\nb.jpg,anger\r\nc.jpg,Contempt\r\n\r\n")]
    [InlineData("\"a.jpg\",\"HAPPY\"\nb.jpg, angry \nc.jpg,contempt")]
    public void A_csv_in_any_of_its_usual_shapes_gives_the_same_pictures(string text)
    {
        foreach (var n in new[] { "a.jpg", "b.jpg", "c.jpg" }) Image(n);
        string csv = Path.Combine(dir, "labels.csv");
        File.WriteAllText(csv, text);
        var set = LabelledImageSet.Read(csv, ExpressionClasses.Seven);
        Assert.Equal(["Happiness", "Anger", "Contempt"], set.All.Select(i => i.Canonical));
        Assert.Equal([4, 1, -1], set.All.Select(i => i.Class));
        Assert.Equal(2, set.Scored.Count);
        Assert.Equal([("Contempt", 1)], set.Unscored);
        // A folder holding labels.csv reads the same.
        Assert.Equal(set.All.Select(i => i.Path), LabelledImageSet.Read(dir, ExpressionClasses.Seven).All.Select(i => i.Path));
    }

    [Fact]
    public void Images_may_sit_in_an_images_folder_beside_the_csv()
    {
        Image(Path.Combine("images", "x.png"));
        File.WriteAllText(Path.Combine(dir, "labels.csv"), "x.png,sad\n");
        var image = Assert.Single(LabelledImageSet.Read(dir, ExpressionClasses.Seven).All);
        Assert.Equal(Path.Combine(dir, "images", "x.png"), image.Path);
        Assert.Equal(5, image.Class);
    }

    [Fact]
    public void Class_folders_are_read_with_their_names_mapped_and_strays_listed()
    {
        Image(Path.Combine("happy", "1.jpg"));
        Image(Path.Combine("surprised", "2.png"));
        Image(Path.Combine("other", "3.jpg"));
        File.WriteAllText(Path.Combine(dir, "happy", "notes.txt"), "x");
        File.WriteAllText(Path.Combine(dir, "README"), "x");
        var seven = LabelledImageSet.Read(dir, ExpressionClasses.Seven);
        Assert.Equal(3, seven.All.Count);
        Assert.Equal([("Other", 1)], seven.Unscored);
        Assert.Equal(2, seven.Skipped.Count);
        Assert.Contains(seven.Skipped, s => s.Path.EndsWith("notes.txt") && s.Reason.Contains("not an image"));
        // An 8-class model scores Other.
        Assert.Equal(7, LabelledImageSet.Read(dir, ExpressionClasses.Eight).All.Single(i => i.Canonical == "Other").Class);
    }

    [Theory]
    [InlineData("a.jpg,banana\n", ":1: unknown expression label 'banana'")]
    [InlineData("image,label\na.jpg,happy\nmissing.jpg,sad\n", ":3: image missing.jpg not found")]
    [InlineData("a.jpg\n", ":1: expected image,label")]
    [InlineData("a.jpg,happy\n\nb.jpg,sad\n", ":2: blank line")]
    [InlineData("image,label\n", ": no labelled image")]
    public void A_bad_csv_is_one_message_naming_the_file_and_line(string text, string message)
    {
        Image("a.jpg");
        Image("b.jpg");
        string csv = Path.Combine(dir, "l.csv");
        File.WriteAllText(csv, text);
        var e = Assert.Throws<VideoFerException>(() => LabelledImageSet.Read(csv, ExpressionClasses.Seven));
        Assert.StartsWith(csv, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_folder_named_after_no_expression_is_refused()
    {
        Image(Path.Combine("bananas", "1.jpg"));
        var e = Assert.Throws<VideoFerException>(() => LabelledImageSet.Read(dir, ExpressionClasses.Seven));
        Assert.Contains("bananas: a folder whose name is no expression label", e.Message);
    }

    [Fact]
    public void Halves_split_by_identity_and_cover_everything()
    {
        var names = new[] { "Ann_Lee_0001.jpg", "Ann_Lee_0002.jpg", "Bob_0001.jpg", "Bob_0007.jpg", "Cy_0003.jpg", "Dee_0001.jpg", "Eve_0002.jpg" };
        foreach (var n in names) Image(n);
        File.WriteAllText(Path.Combine(dir, "labels.csv"), string.Join("\n", names.Select(n => $"{n},neutral")));
        var set = LabelledImageSet.Read(dir, ExpressionClasses.Seven);
        var one = set.Half(1).All.Select(i => Path.GetFileName(i.Path)).ToHashSet();
        var two = set.Half(2).All.Select(i => Path.GetFileName(i.Path)).ToHashSet();
        Assert.Equal(names.Length, one.Count + two.Count);
        Assert.Empty(one.Intersect(two));
        Assert.Equal(one.Contains("Ann_Lee_0001.jpg"), one.Contains("Ann_Lee_0002.jpg"));
        Assert.Equal(one.Contains("Bob_0001.jpg"), one.Contains("Bob_0007.jpg"));
    }
}
