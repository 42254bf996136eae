namespace VideoFer.Vision.Prepare;

/// <summary>What <see cref="VideoPreparer"/> did with one input.</summary>
/// <param name="Skipped">True when the input was already complete from an earlier run.</param>
/// <param name="FaceStreams">Folder names under cropped_aligned/, one per kept track.</param>
/// <param name="Faces">Face crops written (per crop size).</param>
public sealed record PrepareResult(string Input, string Stem, bool Skipped, int Frames, int Faces,
    IReadOnlyList<string> FaceStreams, string CsvPath);
