using VideoFer.Data.Randomness;
using VideoFer.Datasets;

namespace VideoFer.Data.Synthetic;

/// <summary>One face track of the synthetic dataset: its annotation stem, split, person and expression timeline.</summary>
public sealed record SynthTrack(int Index, string Video, string Stem, bool Validation, FaceIdentity Identity, ExpressionTimeline Timeline)
{
    public int FrameCount => Timeline.FrameCount;

    /// <summary>The tasks this track has annotation files for (of those written), as in Aff-Wild2 where
    /// not every video is annotated for every task.</summary>
    public AbawTasks Annotated { get; init; } = AbawTasks.All;
}

/// <summary>Decides, for a seed, which tracks exist, their names, splits, people and timelines.
/// <para>Planned sequentially (it is cheap) so that classes can be dealt evenly across all tracks;
/// rendering then runs in parallel from per-track random streams.</para></summary>
public static class SynthPlan
{
    // Keys of the independent random streams derived from the seed.
    internal const long StreamDeck = 1, StreamFrames = 2, StreamIdentity = 3, StreamTimeline = 4, StreamScript = 5, StreamNoise = 6, StreamAffectNet = 7,
        StreamAffect = 8, StreamCoverage = 9;

    public static IReadOnlyList<SynthTrack> Create(SynthOptions options)
    {
        var deck = new ExpressionDeck(SeededRandom.Derive(options.Seed, StreamDeck));
        var lengths = SeededRandom.Derive(options.Seed, StreamFrames);
        var tracks = new List<SynthTrack>();
        for (int v = 0; v < options.Videos; v++)
        {
            // Names in the style of Aff-Wild2 ("1-30-1280x720"); every fifth video, from the second on, shows two people.
            string video = $"{v + 1}-30-640x360";
            bool twoPeople = v % 5 == 1;
            bool validation = IsValidation(v, options.Videos);
            int frames = lengths.NextInclusive(options.FramesMin, options.FramesMax);
            string[] stems = twoPeople ? [video + "_left", video + "_right"] : [video];
            foreach (var stem in stems)
            {
                int index = tracks.Count;
                var identity = FaceIdentity.Sample(SeededRandom.Derive(options.Seed, StreamIdentity, index));
                var timeline = ExpressionTimeline.Generate(frames, SeededRandom.Derive(options.Seed, StreamTimeline, index), deck);
                tracks.Add(new SynthTrack(index, video, stem, validation, identity, timeline));
            }
        }
        return Cover(tracks, options);
    }

    /// <summary>Decides which tasks each track is annotated for: each of VA and AU is missing from a
    /// fraction <see cref="SynthOptions.MissingTaskTracks"/> of tracks, EXPR from
    /// <see cref="SynthOptions.MissingExpressionTracks"/>, independently. Every track keeps at least one of
    /// the written tasks, and each written task keeps at least one track in each split.</summary>
    static List<SynthTrack> Cover(List<SynthTrack> tracks, SynthOptions options)
    {
        // A stream of its own, drawn the same whatever the fractions, so the rest of the plan is unchanged.
        var rng = SeededRandom.Derive(options.Seed, StreamCoverage);
        var written = options.Tasks;
        var covered = new AbawTasks[tracks.Count];
        for (int i = 0; i < tracks.Count; i++)
        {
            double expr = rng.NextDouble(), va = rng.NextDouble(), au = rng.NextDouble();
            var has = AbawTasks.None;
            if (expr >= options.MissingExpressionTracks) has |= AbawTasks.Expression;
            if (va >= options.MissingTaskTracks) has |= AbawTasks.ValenceArousal;
            if (au >= options.MissingTaskTracks) has |= AbawTasks.ActionUnits;
            has &= written;
            if (has == AbawTasks.None)
                has = AbawTaskNames.Each(written).First();
            covered[i] = has;
        }
        foreach (bool validation in new[] { false, true })
        {
            var split = Enumerable.Range(0, tracks.Count).Where(i => tracks[i].Validation == validation).ToList();
            if (split.Count == 0) continue;
            foreach (var task in AbawTaskNames.Each(written))
                if (!split.Any(i => covered[i].HasFlag(task)))
                    covered[split[0]] |= task;
        }
        return tracks.Select((t, i) => t with { Annotated = covered[i] }).ToList();
    }

    /// <summary>About a quarter of the videos go to validation (every fourth one), and at least one
    /// when there are two or more videos, so both splits always exist then.</summary>
    static bool IsValidation(int video, int videos) =>
        videos >= 2 && (video % 4 == 3 || (videos < 4 && video == videos - 1));
}
