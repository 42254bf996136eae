using VideoFer.Models.Expressions;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>Finding emotion.json from the places a user may point at.</summary>
public class EmotionModelLocatorTests
{
    [Fact]
    public void AcceptsTheFileItsFolderThePackageNodeModulesAndModelsFolders()
    {
        string models = Path.Combine(Repo.Root, "models");
        string expected = Path.Combine(models, "node_modules", "@vladmandic", "human", "models", "emotion.json");
        Assert.True(File.Exists(expected), "run scripts/setup.sh: @vladmandic/human is not installed in models/node_modules");
        foreach (var p in new[] { expected, Path.GetDirectoryName(expected)!, Path.Combine(models, "node_modules", "@vladmandic", "human"),
                                  Path.Combine(models, "node_modules"), models })
            Assert.Equal(expected, EmotionModelLocator.Find(p));
    }

    [Fact]
    public void AnExplicitFolderWithoutTheModelIsAnError()
    {
        using var temp = new TempDir();
        string empty = temp.Path;
        var e = Assert.Throws<VideoFerException>(() => EmotionModelLocator.Find(empty));
        Assert.Contains(empty, e.Message);
        Assert.Contains("no emotion.json", e.Message);
    }
}
