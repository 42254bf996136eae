using OpenCvSharp;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Prepare;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Prepare;

[Collection("detector")]
public class VideoPreparerTests(DetectorFixture detectors, ITestOutputHelper output) : IDisposable
{
    readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Frames 10-21 of Megamind (two characters) as a folder of frames named like Aff-Wild2's.</summary>
    string MegamindFrames(string name = "mm_clip")
    {
        var folder = Path.Combine(temp.NewFolder(), name);
        Directory.CreateDirectory(folder);
        using var source = new VideoFileSource(TestMedia.Megamind);
        foreach (var f in source.ReadFrames())
            using (f)
            {
                if (f.Index > 21) break;
                if (f.Index >= 10) f.Image.SaveImage(Path.Combine(folder, $"{f.Index - 9:D5}.png"));
            }
        return folder;
    }

    VideoPreparer Preparer(string outDir, int[]? sizes = null, bool leftRight = false) => new(new PrepareOptions
    {
        OutputDirectory = outDir,
        Pipeline = new FacePipelineOptions { CropSizes = sizes ?? [112] },
        LeftRightNames = leftRight,
    }, detectors.Plain);

    static string[] Jpgs(string folder) => Directory.GetFiles(folder, "*.jpg").Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Writes_one_folder_per_face_track_with_5_digit_frame_numbers_and_a_matching_csv()
    {
        var input = MegamindFrames();
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir);
        var result = preparer.Prepare(input);

        Assert.False(result.Skipped);
        Assert.Equal(12, result.Frames);
        Assert.Equal(["mm_clip_1", "mm_clip_2"], result.FaceStreams);
        var csv = File.ReadAllLines(result.CsvPath);
        Assert.Equal(FaceCsv.Header, csv[0]);
        Assert.Equal(result.Faces, csv.Length - 1);
        int total = 0;
        foreach (var stream in result.FaceStreams)
        {
            var files = Jpgs(Path.Combine(outDir, "cropped_aligned", stream));
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.Matches(@"^\d{5}\.jpg$", f));
            // each jpg has its csv row with the same frame and stream name
            var rows = csv.Skip(1).Select(l => l.Split(',')).Where(c => c[3] == stream).Select(c => $"{int.Parse(c[0]):D5}.jpg").Order();
            Assert.Equal(files, rows);
            using var crop = Cv2.ImRead(Path.Combine(outDir, "cropped_aligned", stream, files[0]));
            Assert.Equal(new Size(112, 112), crop.Size());
            total += files.Length;
        }
        Assert.Equal(result.Faces, total);
        Assert.True(File.Exists(Path.Combine(outDir, "faces", "mm_clip.done")));
        Assert.False(Directory.Exists(Path.Combine(outDir, ".partial", "mm_clip")));
    }

    [Fact]
    public void Two_streams_can_be_named_left_and_right_and_both_sizes_written()
    {
        var input = MegamindFrames("two");
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir, [112, 256], leftRight: true);
        var result = preparer.Prepare(input);

        Assert.Equal(["two_left", "two_right"], result.FaceStreams.Order());
        var csv = File.ReadAllLines(result.CsvPath).Skip(1).Select(l => l.Split(',')).ToList();
        double MeanX(string name) => csv.Where(c => c[3] == name).Average(c => double.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(MeanX("two_left") < MeanX("two_right"));
        foreach (var (root, size) in new[] { ("cropped_aligned", 112), ("cropped_aligned_256", 256) })
        {
            var first = Jpgs(Path.Combine(outDir, root, "two_left"))[0];
            using var crop = Cv2.ImRead(Path.Combine(outDir, root, "two_left", first));
            Assert.Equal(size, crop.Width);
        }
    }

    [Fact]
    public void Rerun_skips_finished_videos_and_redoes_half_finished_ones()
    {
        var input = MegamindFrames("resume");
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir);
        var first = preparer.Prepare(input);
        var firstFile = Path.Combine(outDir, "cropped_aligned", first.FaceStreams[0], Jpgs(Path.Combine(outDir, "cropped_aligned", first.FaceStreams[0]))[0]);
        var written = File.GetLastWriteTimeUtc(firstFile);

        var again = preparer.Prepare(input);
        Assert.True(again.Skipped);
        Assert.Equal(first.FaceStreams, again.FaceStreams);
        Assert.Equal(written, File.GetLastWriteTimeUtc(firstFile));

        // Simulate a crash during the final moves: marker gone, a stale stream and a work folder left
        // whose manifest (written before the moves) names every target of the interrupted commit.
        File.Delete(Path.Combine(outDir, "faces", "resume.done"));
        var stale = Path.Combine(outDir, "cropped_aligned", "resume_9");
        Directory.CreateDirectory(stale);
        var partial = Path.Combine(outDir, ".partial", "resume");
        Directory.CreateDirectory(partial);
        var targets = first.FaceStreams.Select(s => Path.Combine(outDir, "cropped_aligned", s)).Append(first.CsvPath).Append(stale);
        File.WriteAllText(Path.Combine(partial, "manifest.json"), System.Text.Json.JsonSerializer.Serialize(targets));
        File.WriteAllText(Path.Combine(partial, "detections.raw.csv"), "junk");

        var redone = preparer.Prepare(input);
        Assert.False(redone.Skipped);
        Assert.Equal(first.FaceStreams, redone.FaceStreams);
        Assert.Equal(first.Faces, redone.Faces);
        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(partial));
        Assert.True(File.Exists(Path.Combine(outDir, "faces", "resume.done")));
    }

    [Fact]
    public void A_picture_without_faces_gives_empty_consistent_outputs()
    {
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir);
        var result = preparer.Prepare(TestMedia.Board);

        Assert.Equal(1, result.Frames);
        Assert.Equal(0, result.Faces);
        Assert.Empty(result.FaceStreams);
        Assert.Equal([FaceCsv.Header], File.ReadAllLines(result.CsvPath));
        Assert.True(File.Exists(Path.Combine(outDir, "faces", "board.done")));
        Assert.False(Directory.Exists(Path.Combine(outDir, "cropped_aligned", "board")));
    }

    [Fact]
    public void A_truncated_video_fails_naming_it_and_leaves_nothing_behind()
    {
        var bad = Path.Combine(temp.NewFolder(), "cut.avi");
        var all = File.ReadAllBytes(TestMedia.Megamind);
        File.WriteAllBytes(bad, all.AsSpan(0, all.Length / 3).ToArray());
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir);

        var e = Assert.Throws<VideoFerException>(() => preparer.Prepare(bad));
        Assert.Contains(bad, e.Message);
        Assert.False(Directory.Exists(Path.Combine(outDir, "cropped_aligned")));
        Assert.False(File.Exists(Path.Combine(outDir, "faces", "cut.csv")));
        Assert.False(File.Exists(Path.Combine(outDir, "faces", "cut.done")));
        Assert.False(Directory.Exists(Path.Combine(outDir, ".partial", "cut")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Prepares_the_whole_Megamind_video()
    {
        var outDir = temp.NewFolder();
        using var preparer = Preparer(outDir);
        int reports = 0;
        var result = preparer.Prepare(TestMedia.Megamind, p => reports++);
        output.WriteLine($"{result.Frames} frames, {result.Faces} crops, streams {string.Join(", ", result.FaceStreams)}");
        Assert.Equal(270, result.Frames);
        Assert.Equal(270, reports);
        // at least one stream per shot with a face; each stream's crops match its csv rows
        Assert.True(result.FaceStreams.Count >= 4);
        var csv = File.ReadAllLines(result.CsvPath).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(result.Faces, csv.Count);
        foreach (var s in result.FaceStreams)
            Assert.Equal(csv.Count(c => c[3] == s), Directory.GetFiles(Path.Combine(outDir, "cropped_aligned", s)).Length);
    }
}
