using VideoFer.Data.Synthetic;

namespace VideoFer.Data.Tests.Synthetic;

public class SyntheticWriterTests
{
    static SynthOptions Tiny(ulong seed, int workers = 2) =>
        new() { Videos = 3, Seed = seed, FramesMin = 20, FramesMax = 30, AffectNetImages = 12, Workers = workers };

    static Dictionary<string, byte[]> ReadAll(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    [Fact]
    public void SameSeedGivesIdenticalFilesWhateverTheNumberOfWorkers()
    {
        using var dir = new TempDir();
        new SyntheticDatasetWriter(Tiny(5, workers: 1)).Write(dir.Combine("a"));
        new SyntheticDatasetWriter(Tiny(5, workers: 3)).Write(dir.Combine("b"));
        var a = ReadAll(dir.Combine("a"));
        var b = ReadAll(dir.Combine("b"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.True(a.Count > 60);
        foreach (var (path, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[path]), path);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentData()
    {
        using var dir = new TempDir();
        new SyntheticDatasetWriter(Tiny(5)).Write(dir.Combine("a"));
        new SyntheticDatasetWriter(Tiny(6)).Write(dir.Combine("b"));
        var a = ReadAll(dir.Combine("a"));
        var b = ReadAll(dir.Combine("b"));
        var common = a.Keys.Intersect(b.Keys).Where(k => k.EndsWith(".jpg")).ToArray();
        Assert.NotEmpty(common);
        Assert.All(common, k => Assert.False(a[k].AsSpan().SequenceEqual(b[k]), k));
    }

    [Fact]
    public void RefusesANonEmptyOutputFolderAndLeavesItAlone()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("keep.txt"), "x");
        var e = Assert.Throws<VideoFerException>(() => new SyntheticDatasetWriter(Tiny(1)).Write(dir.Path));
        Assert.Contains("not empty", e.Message);
        Assert.Equal(new[] { "keep.txt" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AcceptsAnExistingEmptyFolder()
    {
        using var dir = new TempDir();
        var target = dir.Combine("empty");
        Directory.CreateDirectory(target);
        new SyntheticDatasetWriter(Tiny(1)).Write(target);
        Assert.True(File.Exists(Path.Combine(target, SynthLayout.Manifest)));
    }

    [Fact]
    public void CancellingLeavesNeitherTheDatasetNorATemporaryFolder()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var target = dir.Combine("out");
        var writer = new SyntheticDatasetWriter(Tiny(1) with { Videos = 6 });
        Assert.ThrowsAny<OperationCanceledException>(() => writer.Write(target, (done, _) => { if (done >= 40) cts.Cancel(); }, cts.Token));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ProgressReachesTheTotal()
    {
        using var dir = new TempDir();
        var options = Tiny(2);
        long last = 0, total = 0;
        var summary = new SyntheticDatasetWriter(options).Write(dir.Combine("x"), (done, t) =>
        {
            lock (dir) { last = Math.Max(last, done); total = t; }
        });
        Assert.Equal(summary.Frames + options.AffectNetImages, total);
        Assert.Equal(total, last);
    }

    [Theory]
    [InlineData(0, 20, 30, 112, "--videos")]
    [InlineData(2, 5, 30, 112, "--frames-min")]
    [InlineData(2, 40, 30, 112, "--frames-max")]
    [InlineData(2, 20, 30, 16, "--size")]
    public void BadOptionsNameTheOption(int videos, int min, int max, int size, string option)
    {
        using var dir = new TempDir();
        var o = new SynthOptions { Videos = videos, FramesMin = min, FramesMax = max, Size = size };
        var e = Assert.Throws<VideoFerException>(() => new SyntheticDatasetWriter(o).Write(dir.Combine("x")));
        Assert.Contains(option, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
