namespace VideoFer.Datasets.AffWild2;

/// <summary>Finds the face image of a frame in one or several <c>cropped_aligned</c> roots
/// (<c>&lt;root&gt;/&lt;stem&gt;/NNNNN.jpg</c>, 1-based, 5 digits). Frames the organisers found no face in
/// have no file, so absence is normal, not an error. Each stem's folders are listed once;
/// no image is opened.</summary>
public sealed class CroppedAlignedImages
{
    /// <summary>The roots searched, in order; the first root holding a frame's file wins.</summary>
    public IReadOnlyList<string> Roots { get; }

    public CroppedAlignedImages(IReadOnlyList<string> roots)
    {
        Roots = roots.Select(r => DirectoryLookup.RequireDirectory(r, "the cropped_aligned image folder")).Distinct().ToArray();
    }

    /// <summary>The images of one annotation stem (including <c>_left</c>/<c>_right</c> stems).</summary>
    public StemImages For(string stem)
    {
        var folders = new List<string>();
        var source = new Dictionary<int, byte>(); // frame -> index into folders
        foreach (var root in Roots)
        {
            var folder = Path.Combine(root, stem);
            if (!Directory.Exists(folder))
                continue;
            byte index = (byte)folders.Count;
            folders.Add(folder);
            foreach (var file in DirectoryLookup.SafeList(() => Directory.GetFiles(folder)))
                if (TryFrameNumber(Path.GetFileName(file), out int frame))
                    source.TryAdd(frame, index);
            if (folders.Count == byte.MaxValue)
                break;
        }
        return new StemImages(folders.ToArray(), source);
    }

    /// <summary>The frame number of an image file named exactly as <see cref="FileName"/> writes it
    /// (<c>00042.jpg</c>; six digits past frame 99999), so the path can be rebuilt from the number.</summary>
    public static bool TryFrameNumber(string fileName, out int frame)
    {
        frame = 0;
        if (!fileName.EndsWith(".jpg", StringComparison.Ordinal))
            return false;
        var digits = fileName.AsSpan(0, fileName.Length - 4);
        if (digits.Length is < 5 or > 6)
            return false;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
                return false;
            frame = frame * 10 + (c - '0');
        }
        return frame >= 1 && FileName(frame).Length == fileName.Length;
    }

    /// <summary>The file name of a frame's image.</summary>
    public static string FileName(int frame) => $"{frame:D5}.jpg";
}

/// <summary>Which frames of one stem have a face image, and where.</summary>
public sealed class StemImages
{
    readonly string[] _folders;
    readonly Dictionary<int, byte> _source;

    internal StemImages(string[] folders, Dictionary<int, byte> source)
    {
        _folders = folders;
        _source = source;
    }

    /// <summary>How many frames have an image.</summary>
    public int Count => _source.Count;

    public bool Has(int frame) => _source.ContainsKey(frame);

    /// <summary>The image path of a 1-based frame, or null if no root has it.</summary>
    public string? PathOf(int frame) =>
        _source.TryGetValue(frame, out byte i) ? Path.Combine(_folders[i], CroppedAlignedImages.FileName(frame)) : null;
}
