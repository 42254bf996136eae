using VideoFer.IO;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Prepare;
using VideoFer.Vision.Video;

namespace VideoFer.Vision.Tests.Prepare;

/// <summary>prepare never deletes or writes outside what it owns, whatever the inputs are called
/// (issue 12, defects 1, 2 and 6).</summary>
[Collection("detector")]
public class PrepareDataSafetyTests(DetectorFixture detectors) : IDisposable
{
    readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    VideoPreparer Preparer(string outDir, bool force = false) => new(new PrepareOptions
    {
        OutputDirectory = outDir,
        Pipeline = new FacePipelineOptions { CropSizes = [112] },
        Force = force,
    }, detectors.Plain);

    [Theory]
    [InlineData("...jpg")]
    [InlineData("..jpg")]
    [InlineData(".jpg")]
    public void AnInputNamedOnlyDotsNeitherDeletesTheCorpusNorItsCrops(string name)
    {
        var outDir = temp.NewFolder();
        using (var preparer = Preparer(outDir)) preparer.Prepare(TestMedia.Messi);
        var before = FolderTree.Of(outDir);
        Assert.Contains(Path.Combine("cropped_aligned", "messi5", "00001.jpg"), before);

        var odd = Path.Combine(temp.NewFolder(), name);
        File.Copy(TestMedia.Messi, odd);
        using (var preparer = Preparer(outDir))
        {
            var r = preparer.Prepare(odd);
            Assert.True(SafeName.IsSafe(r.Stem));
            Assert.StartsWith("_", r.Stem);
            Assert.Single(r.FaceStreams);
        }
        // Everything from before is still there, and the new video's outputs sit beside it.
        var after = FolderTree.Of(outDir);
        Assert.Empty(before.Except(after));
        Assert.True(File.Exists(Path.Combine(outDir, "faces", SafeName.Of(Path.GetFileNameWithoutExtension(name)) + ".done")));
    }

    [Fact]
    public void AnInputAtTheFileSystemRootGetsAStemInsideTheOutputFolder()
    {
        Assert.Equal("_", MediaSource.StemOf("/"));
        var layout = new OutputLayout(temp.NewFolder(), [112]);
        Assert.True(PathGuard.IsInside(layout.Root, layout.Csv(MediaSource.StemOf("/"))));
        // A stem that was not made safe is refused rather than resolved outside the folder.
        Assert.Throws<VideoFerException>(() => layout.Partial(".."));
        Assert.Throws<VideoFerException>(() => layout.Csv("../../x"));
    }

    [Fact]
    public void ForceRedoesOnlyItsOwnOutputsNotASiblingFolderWithTheSamePrefix()
    {
        var parent = temp.NewFolder();
        string outDir = Path.Combine(parent, "zzc"), sibling = Path.Combine(parent, "zzc_full");
        using (var preparer = Preparer(outDir)) preparer.Prepare(TestMedia.Messi);
        // A sibling corpus whose path starts with the same characters, named by a tampered marker.
        Directory.CreateDirectory(Path.Combine(sibling, "cropped_aligned", "messi5"));
        File.WriteAllText(Path.Combine(sibling, "cropped_aligned", "messi5", "00001.jpg"), "precious");
        string marker = Path.Combine(outDir, "faces", "messi5.done");
        string text = File.ReadAllText(marker);
        File.WriteAllText(marker, text.Replace(
            System.Text.Json.JsonSerializer.Serialize(Path.Combine(outDir, "faces", "messi5.csv")),
            System.Text.Json.JsonSerializer.Serialize(Path.Combine(outDir, "faces", "messi5.csv")) + "," +
            System.Text.Json.JsonSerializer.Serialize(Path.Combine(sibling, "cropped_aligned", "messi5")) + "," +
            System.Text.Json.JsonSerializer.Serialize(Path.Combine(outDir, "cropped_aligned"))));
        using (var preparer = Preparer(outDir, force: true))
            Assert.False(preparer.Prepare(TestMedia.Messi).Skipped);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(sibling, "cropped_aligned", "messi5", "00001.jpg")));
        Assert.True(File.Exists(Path.Combine(outDir, "cropped_aligned", "messi5", "00001.jpg")));
    }

    [Fact]
    public void AFolderItDidNotWriteIsNeverReplaced()
    {
        var outDir = temp.NewFolder();
        // The organisers' crops of a video with the same name, already in the corpus.
        Directory.CreateDirectory(Path.Combine(outDir, "cropped_aligned", "messi5"));
        File.WriteAllText(Path.Combine(outDir, "cropped_aligned", "messi5", "00001.jpg"), "official");
        using var preparer = Preparer(outDir);
        var e = Assert.Throws<VideoFerException>(() => preparer.Prepare(TestMedia.Messi));
        Assert.Contains("exists and was not written by `videofer prepare` for messi5", e.Message);
        Assert.Equal("official", File.ReadAllText(Path.Combine(outDir, "cropped_aligned", "messi5", "00001.jpg")));
        Assert.False(File.Exists(Path.Combine(outDir, "faces", "messi5.done")));
    }

    [Fact]
    public void ASecondRunOnAVideoInProgressIsRefusedAndLeavesTheFirstRunsWorkAlone()
    {
        var outDir = temp.NewFolder();
        // The first run holds messi5 and has work in progress.
        string partial = Path.Combine(outDir, ".partial", "messi5");
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "detections.raw.csv"), "in progress");
        using var first = FileLock.TryAcquire(Path.Combine(outDir, ".partial", ".lock-messi5"))!;
        Assert.NotNull(first);
        Directory.CreateDirectory(Path.Combine(outDir, "faces"));
        string markerInProgress = AtomicFile.TemporaryPathFor(Path.Combine(outDir, "faces", "messi5.done"));
        File.WriteAllText(markerInProgress, "being written");

        using var preparer = Preparer(outDir, force: true);
        var e = Assert.Throws<VideoFerException>(() => preparer.Prepare(TestMedia.Messi));
        Assert.Equal($"messi5: another VideoFer run is preparing this video in {outDir} right now; it is skipped here (run again later to check it finished)", e.Message);
        Assert.Equal("in progress", File.ReadAllText(Path.Combine(partial, "detections.raw.csv")));
        Assert.True(File.Exists(markerInProgress)); // the first run's marker, not an orphan to this one
        Assert.True(File.Exists(first.Path));       // nor its lock
        // Other videos go on meanwhile.
        Assert.False(preparer.Prepare(TestMedia.Board).Skipped);
    }

    [Fact]
    public void AKilledRunsHalfWrittenMarkerIsRemovedByTheNextRun()
    {
        var outDir = temp.NewFolder();
        Directory.CreateDirectory(Path.Combine(outDir, "faces"));
        string orphan = AtomicFile.TemporaryPathFor(Path.Combine(outDir, "faces", "messi5.done"));
        File.WriteAllText(orphan, "{\"half");
        using (var preparer = Preparer(outDir)) preparer.Prepare(TestMedia.Messi);
        Assert.False(File.Exists(orphan));
        Assert.Equal(["messi5.csv", "messi5.done"], Directory.GetFiles(Path.Combine(outDir, "faces")).Select(Path.GetFileName).Order());
    }
}
