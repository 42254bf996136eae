using VideoFer.Clips;
using VideoFer.Datasets;

namespace VideoFer.Tests.Clips;

public class ClipTests
{
    static VideoTrack RandomTrack(Random r, string stem, int frames, double missing = 0.1, double ignored = 0.1)
    {
        var labels = Enumerable.Range(0, frames).Select(_ => r.NextDouble() < ignored ? -1 : r.Next(7)).ToArray();
        var has = Enumerable.Range(0, frames).Select(_ => r.NextDouble() >= missing).ToArray();
        return new VideoTrack("affwild2", "train", stem, labels, has, f => $"/img/{stem}/{f:D5}.jpg");
    }

    /// <summary><paramref name="count"/> clips drawn with one generator seeded with <paramref name="seed"/>.</summary>
    static IEnumerable<Clip> Draw(TrainingClipSampler sampler, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => sampler.Next(random)).ToList();
    }

    [Fact]
    public void Valid_window_count_matches_a_direct_count()
    {
        var r = new Random(1);
        for (int trial = 0; trial < 200; trial++)
        {
            var track = RandomTrack(r, "t", r.Next(1, 80), missing: r.NextDouble() * 0.3, ignored: r.NextDouble() * 0.3);
            int length = r.Next(1, 10);
            long direct = 0;
            for (int s = 1; s + length - 1 <= track.FrameCount; s++)
                if (Enumerable.Range(s, length).All(track.IsValid)) direct++;
            Assert.Equal(direct, ValidWindows.Count(track, length));
        }
    }

    [Fact]
    public void Sampled_clips_are_valid_windows_of_usable_videos()
    {
        var r = new Random(2);
        var tracks = Enumerable.Range(0, 12).Select(i => RandomTrack(r, $"v{i}", r.Next(5, 120))).ToList();
        tracks.Add(new VideoTrack("affwild2", "train", "all-ignored", Enumerable.Repeat(-1, 50).ToArray(), Enumerable.Repeat(true, 50).ToArray(), _ => "x"));
        var sampler = new TrainingClipSampler(tracks, clipLength: 8);
        var expectedSkipped = tracks.Where(t => ValidWindows.Count(t, 8) == 0).Select(t => t.Stem).ToList();
        Assert.Contains("all-ignored", expectedSkipped);
        Assert.Equal(expectedSkipped, sampler.SkippedStems);
        var byStem = tracks.ToDictionary(t => t.Stem);
        foreach (var clip in Draw(sampler, 2000, seed: 42))
        {
            var track = byStem[clip.Stem];
            Assert.Equal(8, clip.Length);
            for (int i = 0; i < 8; i++)
            {
                var f = clip.Frames[i];
                Assert.Equal(clip.StartFrame + i, f.Frame);
                Assert.True(f.Real);
                Assert.True(track.IsValid(f.Frame));
                Assert.Equal(track.Label(f.Frame), f.Label);
                Assert.Equal(track.ImagePath(f.Frame), f.ImagePath);
            }
        }
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed_and_varies_with_it()
    {
        var r = new Random(3);
        var tracks = Enumerable.Range(0, 8).Select(i => RandomTrack(r, $"v{i}", 100)).ToList();
        static string Key(Clip c) => $"{c.Stem}@{c.StartFrame}";
        // Two samplers: the draws depend on the generator alone, not on the sampler instance.
        var a = Draw(new TrainingClipSampler(tracks, 8), 300, seed: 7).Select(Key).ToList();
        var b = Draw(new TrainingClipSampler(tracks, 8), 300, seed: 7).Select(Key).ToList();
        var c = Draw(new TrainingClipSampler(tracks, 8), 300, seed: 8).Select(Key).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Videos_are_picked_uniformly_not_by_length()
    {
        // One long and one short video: a window-uniform sampler would pick the long one ~99% of the time.
        var tracks = new[]
        {
            new VideoTrack("a", "train", "long", new int[2000], Enumerable.Repeat(true, 2000).ToArray(), _ => "x"),
            new VideoTrack("a", "train", "short", new int[10], Enumerable.Repeat(true, 10).ToArray(), _ => "x"),
        };
        int shortCount = Draw(new TrainingClipSampler(tracks, 8), 4000, seed: 1).Count(c => c.Stem == "short");
        Assert.InRange(shortCount, 1800, 2200); // 2000 expected; 2200 is 6 standard deviations away
    }

    [Fact]
    public void No_usable_video_is_a_user_error()
    {
        var track = new VideoTrack("a", "train", "s", new int[5], Enumerable.Repeat(true, 5).ToArray(), _ => "x");
        var e = Assert.Throws<VideoFerException>(() => new TrainingClipSampler([track], 8));
        Assert.Contains("no video has 8 consecutive frames", e.Message);
    }

    [Fact]
    public void Evaluation_clips_cover_every_real_frame_exactly_once_and_pad_the_last()
    {
        var r = new Random(5);
        for (int trial = 0; trial < 100; trial++)
        {
            var track = RandomTrack(r, "v", r.Next(1, 60), missing: 0.3);
            int length = r.Next(1, 12);
            var clips = EvaluationClips.Arrange(track, length);
            Assert.Equal((track.FrameCount + length - 1) / length, clips.Count);
            var real = clips.SelectMany(c => c.Frames).Where(f => f.Real).Select(f => f.Frame).ToList();
            Assert.Equal(Enumerable.Range(1, track.FrameCount), real);
            Assert.All(clips, c => Assert.Equal(length, c.Length));
            var padding = clips[^1].Frames.Where(f => !f.Real).ToList();
            Assert.Equal(clips.Count * length - track.FrameCount, padding.Count);
            Assert.All(padding, p => Assert.Equal(new ClipFrame(0, null, -1, false), p));
            Assert.All(clips[^1].Frames.SkipWhile(f => f.Real), f => Assert.False(f.Real)); // padding only at the end

            var sources = NearestFrameFill.Sources(track.ImageMask);
            foreach (var slot in clips.SelectMany(c => c.Frames).Where(f => f.Real))
            {
                Assert.Equal(track.Label(slot.Frame), slot.Label);
                int source = sources[slot.Frame - 1];
                Assert.Equal(source == 0 ? null : track.ImagePath(source), slot.ImagePath);
                Assert.Equal(source == slot.Frame || source == 0 ? null : source, slot.ImageFromFrame);
            }
            var unfilled = EvaluationClips.Arrange(track, length, fillMissingImages: false);
            Assert.All(unfilled.SelectMany(c => c.Frames).Where(f => f.Real), f => Assert.Equal(track.ImagePath(f.Frame), f.ImagePath));

            // Outputs gathered back land on their own frames.
            var gathered = EvaluationClips.ToFrames(clips, track.FrameCount, (c, s) => clips[c].Frames[s].Frame * 10);
            Assert.Equal(Enumerable.Range(1, track.FrameCount).Select(f => f * 10), gathered);
        }
    }
}
