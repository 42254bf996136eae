using VideoFer.Formats;

namespace VideoFer.Datasets.LabelledImages;

/// <summary>One labelled picture: its file, its label as written and its class index in the class set being scored
/// (-1 when the class set has no such class, e.g. Contempt for a 7-class model).</summary>
public sealed record LabelledImage(string Path, string Label, string Canonical, int Class);

/// <summary>Labelled face pictures in the layouts datasets come in: a CSV of <c>image,label</c> rows (a header row
/// optional; image paths relative to the images folder, by default the CSV's own folder or its <c>images/</c>), or a
/// folder with one subfolder per class (FER2013, RAF-DB and AffectNet exports), or a folder holding <c>labels.csv</c>.
/// Label names are mapped to the ABAW classes (<see cref="ExpressionLabels"/>); pictures of a class the class set lacks
/// are kept out of the scores and counted in <see cref="Unscored"/>, never dropped silently.</summary>
public sealed class LabelledImageSet
{
    static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff" };

    LabelledImageSet(string source, IReadOnlyList<LabelledImage> images, IReadOnlyList<string> classes, IReadOnlyList<(string Path, string Reason)>? skipped = null)
    {
        Source = source;
        All = images;
        Classes = classes;
        Skipped = skipped ?? [];
    }

    /// <summary>Files met that are not labelled pictures (a non-image file in a class folder), with the reason.</summary>
    public IReadOnlyList<(string Path, string Reason)> Skipped { get; }

    /// <summary>The CSV or folder read.</summary>
    public string Source { get; }

    /// <summary>The class names scored (the model's).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every picture, in file order.</summary>
    public IReadOnlyList<LabelledImage> All { get; }

    /// <summary>The pictures whose class is in <see cref="Classes"/>.</summary>
    public IReadOnlyList<LabelledImage> Scored => [.. All.Where(i => i.Class >= 0)];

    /// <summary>Labels the class set lacks, with their picture counts.</summary>
    public IReadOnlyList<(string Label, int Count)> Unscored =>
        [.. All.Where(i => i.Class < 0).GroupBy(i => i.Canonical).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key)];

    /// <summary>Reads <paramref name="path"/> (a CSV file, a class-folder tree, or a folder holding labels.csv) for
    /// the class set <paramref name="classes"/>; <paramref name="imagesFolder"/> overrides where a CSV's images are.</summary>
    public static LabelledImageSet Read(string path, IReadOnlyList<string> classes, string? imagesFolder = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (File.Exists(path)) return FromCsv(path, classes, imagesFolder);
        if (!Directory.Exists(path)) throw new VideoFerException($"{path}: no such file or folder (expected a CSV of image,label rows or a folder of class folders)");
        string csv = System.IO.Path.Combine(path, "labels.csv");
        if (File.Exists(csv)) return FromCsv(csv, classes, imagesFolder);
        if (imagesFolder is not null) throw new VideoFerException($"--images-folder applies to a CSV of labels; {path} is a folder of class folders");
        return FromClassFolders(path, classes);
    }

    /// <summary>Half <paramref name="half"/> (1 or 2) of the pictures, split by identity: pictures whose file names
    /// share the part before their last '_' (LFW's Name_0001.jpg) fall in the same half, by a hash of that part.</summary>
    public LabelledImageSet Half(int half)
    {
        if (half is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(half));
        return new LabelledImageSet(Source, [.. All.Where(i => HalfOf(i.Path) == half)], Classes, Skipped);
    }

    /// <summary>1 or 2: the identity half of a picture (FNV-1a of the name before its last '_').</summary>
    public static int HalfOf(string path)
    {
        string stem = System.IO.Path.GetFileNameWithoutExtension(path);
        int cut = stem.LastIndexOf('_');
        string identity = cut > 0 ? stem[..cut] : stem;
        uint hash = 2166136261;
        foreach (char c in identity) { hash ^= c; hash *= 16777619; }
        return (int)(hash % 2) + 1;
    }

    static LabelledImageSet FromCsv(string csv, IReadOnlyList<string> classes, string? imagesFolder)
    {
        string folder = imagesFolder is not null ? System.IO.Path.GetFullPath(imagesFolder) : System.IO.Path.GetDirectoryName(csv)!;
        if (imagesFolder is not null && !Directory.Exists(folder)) throw new VideoFerException($"{folder}: no such folder (--images-folder)");
        string? alternative = imagesFolder is null ? System.IO.Path.Combine(folder, "images") : null;
        var images = new List<LabelledImage>();
        using var reader = TextLines.Open(csv);
        bool first = true;
        foreach (var line in TextLines.Read(reader))
        {
            if (line.IsBlank) throw VideoFerException.InFile(csv, "blank line; expected image,label", line.Number);
            var fields = CsvFields.Split(line.Text) ?? throw VideoFerException.InFile(csv, "unbalanced quotes", line.Number);
            if (fields.Length < 2) throw VideoFerException.InFile(csv, $"expected image,label, got '{line.Text}'", line.Number);
            string name = fields[0].Trim(), label = fields[1].Trim();
            if (first && ExpressionLabels.Canonical(label) is null && label.Equals("label", StringComparison.OrdinalIgnoreCase)) { first = false; continue; }
            first = false;
            string canonical = ExpressionLabels.Canonical(label)
                ?? throw VideoFerException.InFile(csv, $"unknown expression label '{label}' (known: {string.Join(", ", ExpressionLabels.Accepted)})", line.Number);
            if (name.Length == 0) throw VideoFerException.InFile(csv, "empty image name", line.Number);
            string file = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, name));
            if (!File.Exists(file) && alternative is not null && File.Exists(System.IO.Path.Combine(alternative, name)))
                file = System.IO.Path.GetFullPath(System.IO.Path.Combine(alternative, name));
            if (!File.Exists(file)) throw VideoFerException.InFile(csv, $"image {name} not found (looked in {folder}{(alternative is null ? "" : " and " + alternative)})", line.Number);
            images.Add(new LabelledImage(file, label, canonical, IndexOf(classes, canonical)));
        }
        if (images.Count == 0) throw VideoFerException.InFile(csv, "no labelled image");
        return new LabelledImageSet(csv, images, classes);
    }

    static LabelledImageSet FromClassFolders(string root, IReadOnlyList<string> classes)
    {
        var images = new List<LabelledImage>();
        var skipped = new List<(string, string)>();
        var folders = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (folders.Count == 0) throw new VideoFerException($"{root}: holds neither labels.csv nor class folders (happy/, sad/, ...)");
        foreach (var folder in folders)
        {
            string label = System.IO.Path.GetFileName(folder);
            string canonical = ExpressionLabels.Canonical(label)
                ?? throw new VideoFerException($"{folder}: a folder whose name is no expression label (known: {string.Join(", ", ExpressionLabels.Accepted)})");
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                if (!ImageExtensions.Contains(System.IO.Path.GetExtension(file)))
                {
                    skipped.Add((System.IO.Path.GetFullPath(file), "not an image (.jpg, .png, .bmp, .webp, .tif)"));
                    continue;
                }
                images.Add(new LabelledImage(System.IO.Path.GetFullPath(file), label, canonical, IndexOf(classes, canonical)));
            }
        }
        foreach (var file in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
            skipped.Add((System.IO.Path.GetFullPath(file), "beside the class folders, not in one"));
        if (images.Count == 0) throw new VideoFerException($"{root}: its class folders hold no image");
        return new LabelledImageSet(root, images, classes, skipped);
    }

    static int IndexOf(IReadOnlyList<string> classes, string canonical)
    {
        for (int i = 0; i < classes.Count; i++)
            if (string.Equals(classes[i], canonical, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
