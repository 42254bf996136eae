using VideoFer.Datasets.AffWild2;

namespace VideoFer.Tests.Support;

/// <summary>One annotated track of a fixture: its labels (frame k at index k-1) and which frames have
/// an image in which cropped_aligned root.</summary>
public sealed record FixtureTrack(string Split, string Stem, int[] Labels, IReadOnlyDictionary<int, int> ImageRootOfFrame);

/// <summary>Builds small Aff-Wild2 copies on disk in the layout of any edition. Image files are
/// empty: the readers never open them. Labels are random (seeded), so tests compare what the reader
/// returns with what was written rather than with hand-typed numbers.</summary>
public sealed class AffWild2Fixture
{
    public AffWild2Fixture(string datasetRoot, AffWild2Edition edition, IReadOnlyList<FixtureTrack> tracks, IReadOnlyList<string> imageRoots, string annotationDir)
    {
        DatasetRoot = datasetRoot;
        Edition = edition;
        Tracks = tracks;
        ImageRoots = imageRoots;
        AnnotationDir = annotationDir;
    }

    public string DatasetRoot { get; }
    public AffWild2Edition Edition { get; }
    public IReadOnlyList<FixtureTrack> Tracks { get; }
    public IReadOnlyList<string> ImageRoots { get; }
    public string AnnotationDir { get; }

    /// <summary>The edition folder path relative to the dataset root, as each edition ships it.</summary>
    public static string EditionPath(AffWild2Edition edition) => edition switch
    {
        AffWild2Edition.Abaw2020 => Path.Combine("annotations", "EXPR_Set"),
        AffWild2Edition.Abaw2021 => "EXPR_Set",
        AffWild2Edition.Abaw2022 => "EXPR_Classification_Challenge",
        _ => "EXPR_Recognition_Challenge",
    };

    /// <param name="rootCount">How many cropped_aligned roots to spread images over (1 or 2).</param>
    public static AffWild2Fixture Create(string datasetRoot, AffWild2Edition edition, int seed = 1, TextVariant variant = TextVariant.Plain,
        int rootCount = 2, string? editionFolder = null, bool writeTestList = true)
    {
        var random = new Random(seed);
        int classes = edition.ClassCount();
        var annotationDir = Path.Combine(datasetRoot, editionFolder ?? EditionPath(edition));
        var roots = Enumerable.Range(0, rootCount)
            .Select(i => Path.Combine(datasetRoot, i == 0 ? "cropped_aligned" : "cropped_aligned_new_50_vids")).ToList();
        var tracks = new List<FixtureTrack>();
        var stems = new (string Split, string Stem)[]
        {
            ("train", "1-30-1280x720"), ("train", "video10_1"), ("train", "122-60-1920x1080-3_left"),
            ("train", "122-60-1920x1080-3_right"), ("validation", "118-30-640x480"), ("validation", "video2_left"),
            ("validation", "video2_right"),
        };
        foreach (var (split, stem) in stems)
        {
            int frames = random.Next(12, 40);
            var labels = new int[frames];
            int label = random.Next(classes);
            for (int f = 0; f < frames; f++)
            {
                if (random.NextDouble() < 0.15) label = random.Next(classes); // segments, like real annotations
                labels[f] = random.NextDouble() < 0.1 ? -1 : label;
            }
            var images = new Dictionary<int, int>();
            // Later tracks live in the second root when there is one, like ABAW6's extra folder.
            int root = rootCount > 1 && tracks.Count % 3 == 2 ? 1 : 0;
            for (int f = 1; f <= frames + 2; f++) // a couple of images beyond the annotations, which must be ignored
                if (random.NextDouble() > 0.12)
                    images[f] = root;
            tracks.Add(new FixtureTrack(split, stem, labels, images));
        }
        // A frame present in both roots: the first root must win, so that is what the fixture expects.
        var duplicates = new List<(FixtureTrack Track, int Frame)>();
        if (rootCount > 1)
        {
            var track = tracks.First(t => t.ImageRootOfFrame.Values.Any(r => r == 1));
            int frame = track.ImageRootOfFrame.Keys.Min();
            ((Dictionary<int, int>)track.ImageRootOfFrame)[frame] = 0;
            duplicates.Add((track, frame));
        }

        var header = ExpressionHeader.For(classes);
        foreach (var t in tracks)
        {
            var splitFolder = t.Split == "train" ? edition.TrainFolder() : AffWild2Editions.ValidationFolder;
            var file = Path.Combine(annotationDir, splitFolder, t.Stem + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, TextVariants.Render([header, .. t.Labels.Select(l => l.ToString())], variant));
            foreach (var (frame, root) in t.ImageRootOfFrame)
            {
                var image = Path.Combine(roots[root], t.Stem, CroppedAlignedImages.FileName(frame));
                Directory.CreateDirectory(Path.GetDirectoryName(image)!);
                File.WriteAllBytes(image, []);
            }
        }
        foreach (var (track, frame) in duplicates)
            File.WriteAllBytes(Path.Combine(roots[1], track.Stem, CroppedAlignedImages.FileName(frame)), []);
        if (writeTestList)
        {
            var list = Path.Combine(annotationDir, AffWild2Editions.TestListFiles[(int)edition % AffWild2Editions.TestListFiles.Count]);
            File.WriteAllBytes(list, TextVariants.Render(["2-30-640x360", "video99_left", "video99_right"], variant));
        }
        return new AffWild2Fixture(datasetRoot, edition, tracks, roots, annotationDir);
    }

    public string? ExpectedImage(FixtureTrack track, int frame) =>
        frame <= track.Labels.Length && track.ImageRootOfFrame.TryGetValue(frame, out int root)
            ? Path.Combine(ImageRoots[root], track.Stem, CroppedAlignedImages.FileName(frame))
            : null;
}
