namespace VideoFer.Datasets.RafDb;

/// <summary>Reads RAF-DB basic lazily: labels from <c>EmoLabel/list_patition_label.txt</c>, images from
/// <c>Image/aligned/&lt;stem&gt;_aligned.jpg</c>. The root may be the <c>basic</c> folder or the folder above it.</summary>
public sealed class RafDbReader
{
    readonly ReadOptions _options;
    readonly bool _checkImages;

    RafDbReader(string root, string listFile, string? alignedDir, ReadOptions options, bool checkImages)
    {
        Root = root;
        ListFile = listFile;
        AlignedDir = alignedDir;
        _options = options;
        _checkImages = checkImages;
    }

    public string Root { get; }
    public string ListFile { get; }
    public string? AlignedDir { get; }

    public static RafDbReader Open(string root, ReadOptions? options = null, bool checkImages = true)
    {
        root = DirectoryLookup.RequireDirectory(root, "the RAF-DB root");
        foreach (var basic in new[] { root, DirectoryLookup.ChildDirectory(root, "basic") })
        {
            if (basic == null || DirectoryLookup.ChildDirectory(basic, "EmoLabel") is not string emo)
                continue;
            if (DirectoryLookup.ChildFile(emo, "list_patition_label.txt") is not string list)
                throw new VideoFerException($"{emo}: expected list_patition_label.txt");
            var aligned = DirectoryLookup.ChildDirectory(basic, "Image") is string image ? DirectoryLookup.ChildDirectory(image, "aligned") : null;
            return new RafDbReader(basic, list, aligned, options ?? ReadOptions.Strict, checkImages);
        }
        throw new VideoFerException($"{root}: no RAF-DB found; expected EmoLabel/list_patition_label.txt (in the root or in basic/)");
    }

    /// <summary>Every listed image with its ABAW label; <paramref name="split"/> null for both splits.</summary>
    public IEnumerable<FrameItem> Items(string? split = null)
    {
        using var reader = Formats.TextLines.Open(ListFile);
        foreach (var entry in RafDbList.Parse(reader, ListFile, _options))
        {
            if (split != null && entry.Split != split)
                continue;
            var stem = Path.GetFileNameWithoutExtension(entry.Name);
            string? image = null;
            if (AlignedDir != null)
            {
                var candidate = Path.Combine(AlignedDir, stem + "_aligned.jpg");
                image = !_checkImages || File.Exists(candidate) ? candidate : null;
            }
            yield return new FrameItem(DatasetNames.RafDb, entry.Split, stem, 0, image, RafDbCodes.ToAbaw(entry.Code));
        }
    }
}
