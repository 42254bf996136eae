using VideoFer.IO;

namespace VideoFer.Vision.Prepare;

/// <summary>Where `prepare` puts things under the output folder:
/// <c>cropped_aligned/&lt;face&gt;/NNNNN.jpg</c> (Aff-Wild2's layout; when both 112 and 256 are asked for,
/// the 112 crops go there and the 256 ones to <c>cropped_aligned_256/</c>), <c>faces/&lt;stem&gt;.csv</c>
/// (every detection), <c>faces/&lt;stem&gt;.done</c> (completion marker) and <c>.partial/&lt;stem&gt;/</c>
/// (work in progress, renamed into place when the video is complete).</summary>
public sealed class OutputLayout(string root, IReadOnlyList<int> cropSizes)
{
    public string Root { get; } = Path.GetFullPath(root);
    public IReadOnlyList<int> CropSizes { get; } = cropSizes.Distinct().ToArray();

    public string CropRoot(int size) =>
        Path.Combine(Root, CropSizes.Count == 1 || size == 112 ? "cropped_aligned" : $"cropped_aligned_{size}");

    public string FacesFolder => Path.Combine(Root, "faces");
    // PathGuard: a stem that is not a plain name (see SafeName) is refused rather than resolved outside.
    public string Csv(string stem) => PathGuard.Combine(FacesFolder, stem + ".csv");
    public string DoneMarker(string stem) => PathGuard.Combine(FacesFolder, stem + ".done");
    public string PartialRoot => Path.Combine(Root, ".partial");
    public string Partial(string stem) => PathGuard.Combine(PartialRoot, stem);
    /// <summary>The lock file of one video while it is prepared: a name no stem can take (stems never start with a dot).</summary>
    public string Lock(string stem) => PathGuard.Combine(PartialRoot, $".lock-{stem}");

    /// <summary>Aff-Wild2 file name of a frame: 5 digits, 1-based.</summary>
    public static string FrameFileName(int frame) => $"{frame:D5}.jpg";
}
