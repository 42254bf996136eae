using System.Globalization;
using System.Text.RegularExpressions;
using VideoFer.Data.Synthetic;

namespace VideoFer.Data.Tests.Synthetic;

/// <summary>The written dataset follows docs/datasets.md: 2020 Aff-Wild2 layout and the original AffectNet lists.</summary>
[Collection(SynthDatasetCollection.Name)]
public class SyntheticLayoutTests(SynthDatasetFixture data)
{
    string AnnotationDir(string split) => Path.Combine(data.Root, "annotations", "EXPR_Set", split);

    IEnumerable<string> AnnotationFiles() =>
        new[] { "Training_Set", "Validation_Set" }.SelectMany(s => Directory.GetFiles(AnnotationDir(s), "*.txt"));

    [Fact]
    public void BothSplitsHoldAnnotationFilesAndNothingElseIsAtTheTop()
    {
        Assert.NotEmpty(Directory.GetFiles(AnnotationDir("Training_Set"), "*.txt"));
        Assert.NotEmpty(Directory.GetFiles(AnnotationDir("Validation_Set"), "*.txt"));
        var top = Directory.GetFileSystemEntries(data.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "AffectNet", "annotations", "cropped_aligned", "synth.json", "synth_meta" }, top);
        // Nothing left over from the atomic write next to the dataset.
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(data.Root)!));
    }

    [Fact]
    public void AnnotationFilesHaveTheHeaderAndOneIntegerPerFrame()
    {
        foreach (var file in AnnotationFiles())
        {
            var text = File.ReadAllText(file);
            Assert.EndsWith("\n", text);
            Assert.DoesNotContain("\r", text);
            var lines = text.TrimEnd('\n').Split('\n');
            Assert.Equal("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise", lines[0]);
            var stem = Path.GetFileNameWithoutExtension(file);
            var meta = data.Meta[stem];
            Assert.Equal(meta.Length, lines.Length - 1);
            Assert.InRange(meta.Length, data.Options.FramesMin, data.Options.FramesMax);
            for (int k = 1; k < lines.Length; k++)
            {
                int label = int.Parse(lines[k], CultureInfo.InvariantCulture);
                Assert.InRange(label, -1, 6);
                Assert.Equal(meta[k - 1].Label, label);
            }
        }
    }

    [Fact]
    public void SomeFramesAreIgnoredAndSomeImagesAreMissing()
    {
        var labels = AnnotationFiles().SelectMany(f => File.ReadAllLines(f).Skip(1)).ToArray();
        Assert.Contains("-1", labels);
        Assert.True(data.Summary.MissingImages > 0);
        Assert.True(data.Summary.IgnoredFrames > 0);
        // Missing images are rare enough to leave most frames usable.
        Assert.InRange(data.Summary.MissingImages / (double)data.Summary.Frames, 0.005, 0.15);
        // All 7 classes are labelled somewhere.
        Assert.All(data.Summary.LabelledFramesPerClass, n => Assert.True(n > 0));
    }

    [Fact]
    public void ImagesAreFiveDigitOneBasedAndExistExactlyForFramesWithAFace()
    {
        var name = new Regex(@"^\d{5}\.jpg$");
        foreach (var (stem, meta) in data.Meta)
        {
            var folder = Path.Combine(data.Root, "cropped_aligned", stem);
            var files = Directory.GetFiles(folder).Select(Path.GetFileName).ToArray();
            Assert.All(files, f => Assert.Matches(name, f!));
            var frames = files.Select(f => int.Parse(f![..5], CultureInfo.InvariantCulture)).ToHashSet();
            Assert.DoesNotContain(0, frames);
            var expected = meta.Where(m => m.HasImage).Select(m => m.Frame).ToHashSet();
            Assert.Equal(expected.Order(), frames.Order());
            Assert.True(File.Exists(Path.Combine(folder, "00001.jpg")) == meta[0].HasImage);
        }
    }

    [Fact]
    public void ImagesAreJpegsOfTheRequestedSize()
    {
        var file = Directory.GetFiles(Path.Combine(data.Root, "cropped_aligned"), "*.jpg", SearchOption.AllDirectories).First();
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0xD8, bytes[1]);
        using var mat = OpenCvSharp.Cv2.ImRead(file);
        Assert.Equal(data.Options.Size, mat.Rows);
        Assert.Equal(data.Options.Size, mat.Cols);
    }

    [Fact]
    public void TwoPersonVideosHaveLeftAndRightTracksInTheSameSplit()
    {
        var stems = AnnotationFiles().Select(f => (Split: Path.GetFileName(Path.GetDirectoryName(f)), Stem: Path.GetFileNameWithoutExtension(f))).ToArray();
        var lefts = stems.Where(s => s.Stem.EndsWith("_left")).ToArray();
        Assert.NotEmpty(lefts);
        foreach (var left in lefts)
        {
            string video = left.Stem[..^"_left".Length];
            Assert.Contains((left.Split, video + "_right"), stems);
            Assert.DoesNotContain(stems, s => s.Stem == video);
            Assert.True(Directory.Exists(Path.Combine(data.Root, "cropped_aligned", left.Stem)));
            Assert.True(Directory.Exists(Path.Combine(data.Root, "cropped_aligned", video + "_right")));
            Assert.Equal(data.Meta[left.Stem].Length, data.Meta[video + "_right"].Length);
        }
        Assert.Equal(data.Summary.Tracks, stems.Length);
    }

    [Fact]
    public void AffectNetListsFollowTheOriginalRelease()
    {
        string lists = Path.Combine(data.Root, "AffectNet", "Manually_Annotated_file_lists");
        var training = File.ReadAllLines(Path.Combine(lists, "training.csv"));
        var validation = File.ReadAllLines(Path.Combine(lists, "validation.csv"));
        Assert.Equal("subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal", training[0]);
        Assert.DoesNotContain("subDirectory_filePath", validation[0]); // the real validation.csv has no header
        var rows = training.Skip(1).Concat(validation).ToArray();
        Assert.Equal(data.Options.AffectNetImages, rows.Length);
        Assert.NotEmpty(validation);
        var codes = new HashSet<int>();
        foreach (var row in rows)
        {
            var f = row.Split(',');
            Assert.Equal(9, f.Length);
            Assert.True(File.Exists(Path.Combine(data.Root, "AffectNet", "Manually_Annotated_Images", f[0])), f[0]);
            int x = int.Parse(f[1]), y = int.Parse(f[2]), w = int.Parse(f[3]), h = int.Parse(f[4]);
            Assert.True(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= data.Options.Size && y + h <= data.Options.Size, row[..60]);
            var landmarks = f[5].Split(';').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(136, landmarks.Length);
            int code = int.Parse(f[6]);
            Assert.InRange(code, 0, 10);
            codes.Add(code);
            double valence = double.Parse(f[7], CultureInfo.InvariantCulture), arousal = double.Parse(f[8], CultureInfo.InvariantCulture);
            if (code >= 9) Assert.Equal((-2.0, -2.0), (valence, arousal));
            else { Assert.InRange(valence, -1, 1); Assert.InRange(arousal, -1, 1); }
        }
        for (int c = 0; c < 7; c++) Assert.Contains(c, codes);
    }

    [Fact]
    public void AffectNetCodesInvertTheAbawMapping()
    {
        for (int code = 0; code < 7; code++)
            Assert.Equal(code, AffectNetCodes.FromAbaw((Expression)AffectNetCodes.ToAbaw[code]));
        Assert.Equal(new[] { 0, 4, 5, 6, 3, 2, 1 }, AffectNetCodes.ToAbaw);
    }

    [Fact]
    public void ManifestMarksCompletionAndMatchesTheFiles()
    {
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(data.Root, "synth.json"))).RootElement;
        Assert.Equal(11UL, json.GetProperty("seed").GetUInt64());
        Assert.Equal(data.Summary.Images, json.GetProperty("images").GetInt64());
        long images = Directory.GetFiles(Path.Combine(data.Root, "cropped_aligned"), "*.jpg", SearchOption.AllDirectories).Length;
        Assert.Equal(images, data.Summary.Images);
        Assert.Equal(data.Summary.Frames, data.Meta.Values.Sum(m => m.Length));
        Assert.Equal(60, json.GetProperty("affectnet_images").GetInt32());
    }
}
