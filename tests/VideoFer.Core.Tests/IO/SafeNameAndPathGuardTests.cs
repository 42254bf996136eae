using VideoFer.IO;

namespace VideoFer.Tests.IO;

public class SafeNameAndPathGuardTests
{
    [Theory]
    [InlineData("messi5", "messi5")]
    [InlineData("video 01 (take 2)", "video 01 (take 2)")]
    [InlineData("", "_")]
    [InlineData(".", "_.")]
    [InlineData("..", "_..")]
    [InlineData("...", "_...")]
    [InlineData("/", "_")]
    [InlineData("../../etc/passwd", "_.._.._etc_passwd")]
    [InlineData("a\\b", "a_b")]
    [InlineData(".hidden", "_.hidden")]
    [InlineData("tab\there", "tab_here")]
    public void NamesFromInputsBecomeOnePlainSegment(string given, string expected)
    {
        string safe = SafeName.Of(given);
        Assert.Equal(expected, safe);
        // Whatever the input, joining the name to a folder stays directly inside that folder.
        string root = Path.Combine(Path.GetTempPath(), "out");
        Assert.Equal(root, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, safe))));
    }

    [Fact]
    public void LongNamesAreCutToTheByteLimitWithoutSplittingACharacter()
    {
        string safe = SafeName.Of(string.Concat(Enumerable.Repeat("é😀", 200)));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(safe) <= SafeName.MaxBytes);
        Assert.False(char.IsHighSurrogate(safe[^1]));
    }

    [Theory]
    [InlineData("/data/out", "/data/out/a", true)]
    [InlineData("/data/out", "/data/out/a/b", true)]
    [InlineData("/data/out/", "/data/out/a", true)]
    [InlineData("/data/out", "/data/out", false)]
    [InlineData("/data/out", "/data/out_full/a", false)]   // a string prefix, not a folder below
    [InlineData("/data/out", "/data/outx", false)]
    [InlineData("/data/out", "/data/out/../x", false)]
    [InlineData("/data/out", "/data", false)]
    public void InsideComparesWholeSegments(string root, string path, bool inside) =>
        Assert.Equal(inside, PathGuard.IsInside(root, path));

    [Fact]
    public void DeleteRefusesAnythingNotStrictlyInsideAndNeverFollowsLinks()
    {
        using var dir = new TempDir();
        string root = dir.Combine("out"), sibling = dir.Combine("out_full");
        dir.Write("out_full/precious.txt", "keep");
        dir.Write("out/own.txt", "mine");
        Assert.Throws<InvalidOperationException>(() => PathGuard.Delete(root, sibling));
        Assert.Throws<InvalidOperationException>(() => PathGuard.Delete(root, root));
        Assert.Throws<VideoFerException>(() => PathGuard.Combine(root, ".."));
        // A link inside the folder that points outside: the link goes, its target stays.
        File.CreateSymbolicLink(Path.Combine(root, "link"), sibling);
        PathGuard.Delete(root, Path.Combine(root, "link"));
        Assert.True(File.Exists(Path.Combine(sibling, "precious.txt")));
        PathGuard.Delete(root, Path.Combine(root, "own.txt"));
        Assert.False(File.Exists(Path.Combine(root, "own.txt")));
    }
}
