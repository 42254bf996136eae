using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>One face track of the synthetic dataset: its annotation stem, split, person and expression timeline.</summary>
public sealed record SynthTrack(int Index, string Video, string Stem, bool Validation, FaceIdentity Identity, ExpressionTimeline Timeline)
{
    public int FrameCount => Timeline.FrameCount;
}

/// <summary>Decides, for a seed, which tracks exist, their names, splits, people and timelines.
/// <para>Planned sequentially (it is cheap) so that classes can be dealt evenly across all tracks;
/// rendering then runs in parallel from per-track random streams.</para></summary>
public static class SynthPlan
{
    // Keys of the independent random streams derived from the seed.
    internal const long StreamDeck = 1, StreamFrames = 2, StreamIdentity = 3, StreamTimeline = 4, StreamScript = 5, StreamNoise = 6, StreamAffectNet = 7;

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
        return tracks;
    }

    /// <summary>About a quarter of the videos go to validation (every fourth one), and at least one
    /// when there are two or more videos, so both splits always exist then.</summary>
    static bool IsValidation(int video, int videos) =>
        videos >= 2 && (video % 4 == 3 || (videos < 4 && video == videos - 1));
}
