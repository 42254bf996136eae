using VideoFer.Inference.Corpus;

namespace VideoFer.Inference.Tests.Corpus;

/// <summary>The names of a corpus's input folders: safe, unique, and stable when inputs are added.</summary>
public class CorpusInputTests : TempFolderTest
{
    [Fact]
    public void NamesAreSafeStemsAndCollisionsGetAHashOfThePath()
    {
        var sources = new[] { "/d/a/x.mp4", "/d/b/X.avi", "/d/c/../../etc/passwd.mp4", "/d/e\nvil.mp4", "/d/summary.csv.mp4", "/d/..mp4" };
        var names = CorpusInput.Assign(sources).Select(i => i.Name).ToList();
        Assert.Matches("^x-[0-9a-f]{8}$", names[0]);
        Assert.Matches("^X-[0-9a-f]{8}$", names[1]); // case is ignored when comparing: macOS and Windows would
        Assert.NotEqual(names[0][2..], names[1][2..]);
        Assert.Equal("passwd", names[2]);
        Assert.Equal("e_vil", names[3]);
        Assert.Matches("^summary.csv-[0-9a-f]{8}$", names[4]);
        Assert.Equal("_.", names[5]);
        Assert.All(names, n => Assert.True(VideoFer.IO.SafeName.IsSafe(n), n));
    }

    [Fact]
    public void ANameDependsOnItsOwnPathAloneOnceItCollides()
    {
        var before = CorpusInput.Assign(["/d/a/x.mp4", "/d/b/x.mp4"]);
        var after = CorpusInput.Assign(["/d/0/y.mp4", "/d/b/x.mp4", "/d/c/x.mp4", "/d/a/x.mp4"]);
        Assert.Equal(before[0], after[3]);
        Assert.Equal(before[1], after[1]);
    }
}
