using VideoFer.Clips;
using VideoFer.Datasets;
using VideoFer.Datasets.AffectNet;
using VideoFer.Datasets.AffWild2;
using VideoFer.Datasets.RafDb;

namespace VideoFer.Statistics;

/// <summary>Statistics of an Aff-Wild2 copy: its layout and per-split counts.</summary>
public sealed record AffWild2Statistics(AffWild2Layout Layout, IReadOnlyList<string> ImageRoots, int ClipLength,
    int TestVideos, IReadOnlyList<SplitStatistics> Splits);

/// <summary>Computes per-split, per-class counts for each dataset, streaming through the annotations.</summary>
public static class DatasetStatistics
{
    public static AffWild2Statistics ForAffWild2(AffWild2Reader reader, int clipLength = 8)
    {
        ValidWindows.CheckLength(clipLength);
        var splits = new List<SplitStatistics>();
        int classCount = reader.Layout.Edition.ClassCount();
        foreach (var split in reader.Layout.Splits)
        {
            var stats = new SplitStatistics(DatasetNames.AffWild2, split, 8) { Videos = 0, ValidWindows = 0, VideosWithoutWindow = 0 };
            if (reader.HasImageRoots)
            {
                stats.MissingImages = 0;
                stats.LabelledWithoutImage = 0;
            }
            foreach (var trackInfo in reader.Tracks(split))
            {
                var track = reader.LoadTrack(trackInfo);
                stats.Videos++;
                for (int f = 1; f <= track.FrameCount; f++)
                {
                    stats.Count(track.Label(f));
                    if (reader.HasImageRoots && !track.HasImage(f))
                    {
                        stats.MissingImages++;
                        if (track.Label(f) >= 0) stats.LabelledWithoutImage++;
                    }
                }
                // Without image folders only the labels can be judged.
                var judged = reader.HasImageRoots ? track
                    : new VideoTrack(track.Dataset, track.Split, track.Stem, track.Labels.ToArray(), Enumerable.Repeat(true, track.FrameCount).ToArray(), _ => null);
                long windows = ValidWindows.Count(judged, clipLength);
                stats.ValidWindows += windows;
                if (windows == 0) stats.VideosWithoutWindow++;
            }
            splits.Add(Trim(stats, classCount));
        }
        return new AffWild2Statistics(reader.Layout, reader.Images.Roots, clipLength, reader.TestStems().Count, splits);
    }

    public static IReadOnlyList<SplitStatistics> ForAffectNet(AffectNetReader reader, int classCount)
    {
        var result = new List<SplitStatistics>();
        foreach (var split in reader.Splits)
        {
            var stats = new SplitStatistics(DatasetNames.AffectNet, split, classCount) { MissingImages = 0 };
            foreach (var entry in reader.Entries(split))
            {
                stats.Count(entry.Item.Label);
                if (entry.Item.ImagePath == null) stats.MissingImages++;
            }
            result.Add(stats);
        }
        return result;
    }

    public static IReadOnlyList<SplitStatistics> ForRafDb(RafDbReader reader)
    {
        var bySplit = new Dictionary<string, SplitStatistics>();
        foreach (var item in reader.Items())
        {
            if (!bySplit.TryGetValue(item.Split, out var stats))
                bySplit[item.Split] = stats = new SplitStatistics(DatasetNames.RafDb, item.Split, 7) { MissingImages = 0 };
            stats.Count(item.Label);
            if (item.ImagePath == null) stats.MissingImages++;
        }
        return bySplit.Values.OrderBy(s => s.Split == Splits.Train ? 0 : 1).ToList();
    }

    // Aff-Wild2 files may mix 7- and 8-class headers; count with room for 8, report the edition's classes
    // unless an Other label actually occurred.
    static SplitStatistics Trim(SplitStatistics stats, int classCount)
    {
        if (classCount == 8 || stats.ClassCounts[7] > 0)
            return stats;
        var trimmed = new SplitStatistics(stats.Dataset, stats.Split, 7)
        {
            Frames = stats.Frames, Videos = stats.Videos, Ignored = stats.Ignored, MissingImages = stats.MissingImages,
            LabelledWithoutImage = stats.LabelledWithoutImage, ValidWindows = stats.ValidWindows, VideosWithoutWindow = stats.VideosWithoutWindow,
        };
        Array.Copy(stats.ClassCounts, trimmed.ClassCounts, 7);
        return trimmed;
    }
}
