using VideoFer.Clips;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Statistics;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Statistics;

public class DatasetStatisticsTests
{
    [Theory]
    [InlineData(AffWild2Edition.Abaw2020, 8)]
    [InlineData(AffWild2Edition.Abaw2024, 4)]
    public void AffWild2_counts_match_the_fixture(AffWild2Edition edition, int clipLength)
    {
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, edition, seed: 21);
        var stats = DatasetStatistics.ForAffWild2(AffWild2Reader.Open(tmp.Path), clipLength);
        Assert.Equal(3, stats.TestVideos);
        Assert.Equal(fixture.ImageRoots, stats.ImageRoots);
        foreach (var split in stats.Splits)
        {
            var tracks = fixture.Tracks.Where(t => t.Split == split.Split).ToList();
            Assert.Equal(edition.ClassCount(), split.ClassCount);
            Assert.Equal(tracks.Count, split.Videos);
            Assert.Equal(tracks.Sum(t => t.Labels.Length), split.Frames);
            Assert.Equal(tracks.Sum(t => t.Labels.Count(l => l == -1)), split.Ignored);
            for (int c = 0; c < split.ClassCount; c++)
                Assert.Equal(tracks.Sum(t => t.Labels.Count(l => l == c)), split.ClassCounts[c]);
            bool Has(FixtureTrack t, int f) => t.ImageRootOfFrame.ContainsKey(f);
            Assert.Equal(tracks.Sum(t => Enumerable.Range(1, t.Labels.Length).Count(f => !Has(t, f))), split.MissingImages);
            Assert.Equal(tracks.Sum(t => Enumerable.Range(1, t.Labels.Length).Count(f => !Has(t, f) && t.Labels[f - 1] >= 0)), split.LabelledWithoutImage);
            long Windows(FixtureTrack t) => Enumerable.Range(1, Math.Max(0, t.Labels.Length - clipLength + 1))
                .Count(s => Enumerable.Range(s, clipLength).All(f => Has(t, f) && t.Labels[f - 1] >= 0));
            Assert.Equal(tracks.Sum(Windows), split.ValidWindows);
            Assert.Equal(tracks.Count(t => Windows(t) == 0), split.VideosWithoutWindow);
        }
    }

    [Fact]
    public void Without_image_roots_windows_use_labels_and_images_are_not_counted()
    {
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2021, seed: 22);
        var stats = DatasetStatistics.ForAffWild2(AffWild2Reader.Open(tmp.Path, imageRoots: []), 8);
        var train = stats.Splits.Single(s => s.Split == Splits.Train);
        Assert.Null(train.MissingImages);
        long expected = fixture.Tracks.Where(t => t.Split == Splits.Train).Sum(t =>
            Enumerable.Range(0, Math.Max(0, t.Labels.Length - 7)).Count(s => t.Labels.Skip(s).Take(8).All(l => l >= 0)));
        Assert.Equal(expected, train.ValidWindows);
    }
}
