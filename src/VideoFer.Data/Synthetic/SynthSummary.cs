using System.Text.Json.Serialization;

namespace VideoFer.Data.Synthetic;

/// <summary>What a synthetic dataset contains; also written as its completion marker <c>synth.json</c>.
/// Holds no timings so that the marker, like every other file, depends only on the options.
/// <para><see cref="AnnotatedTracks"/> and <see cref="AnnotatedFrames"/> count, per written task
/// (<c>expr</c>, <c>va</c>, <c>au</c>), the tracks with a file and the frames those files give a value
/// (not -1 / -5). <see cref="IgnoredFrames"/> and <see cref="LabelledFramesPerClass"/> count the frames of
/// the EXPR files written.</para></summary>
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
    [property: JsonPropertyName("affectnet_images")] int AffectNetImages,
    string Edition,
    string Tasks,
    IReadOnlyDictionary<string, int> AnnotatedTracks,
    IReadOnlyDictionary<string, long> AnnotatedFrames,
    [property: JsonPropertyName("mtl_rows")] long MultiTaskRows);
