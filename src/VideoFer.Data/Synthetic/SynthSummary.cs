using System.Text.Json.Serialization;

namespace VideoFer.Data.Synthetic;

/// <summary>What a synthetic dataset contains; also written as its completion marker <c>synth.json</c>.
/// Holds no timings so that the marker, like every other file, depends only on the options.</summary>
public sealed record SynthSummary(
    string Generator,
    string Layout,
    ulong Seed,
    int Size,
    int FramesMin,
    int FramesMax,
    int Videos,
    int Tracks,
    int TrainingTracks,
    int ValidationTracks,
    long Frames,
    long Images,
    long MissingImages,
    long IgnoredFrames,
    IReadOnlyList<long> LabelledFramesPerClass,
    [property: JsonPropertyName("affectnet_images")] int AffectNetImages);
