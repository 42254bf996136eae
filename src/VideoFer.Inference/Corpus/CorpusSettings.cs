using System.Text.Json.Serialization;
using VideoFer.Inference.People;

namespace VideoFer.Inference.Corpus;

/// <summary>What decides a corpus's results besides its inputs. A corpus folder records them, so that a
/// rerun or another shard with other settings is refused instead of mixing two kinds of results.</summary>
public sealed record CorpusSettings(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("smooth")] int Smooth,
    [property: JsonPropertyName("tiles")] int Tiles,
    [property: JsonPropertyName("annotated_video")] bool AnnotatedVideo,
    [property: JsonPropertyName("base_size")] int? BaseSize,
    // People settings: a corpus.json written before they existed reads as the defaults it was run with.
    [property: JsonPropertyName("people")] bool People = true,
    [property: JsonPropertyName("max_people")] int? MaxPeople = null,
    [property: JsonPropertyName("min_person_frames")] int MinPersonFrames = PeopleOptions.DefaultMinPersonFrames,
    [property: JsonPropertyName("track_files")] bool TrackFiles = false)
{
    /// <summary>Whether each input gets report.html and the corpus its index page (false: --no-report). Corpora
    /// recorded before reports existed read as true.</summary>
    [JsonPropertyName("report")]
    public bool Report { get; init; } = true;

    /// <summary>"detect" (BlazeFace) or "whole" (every image one face: --faces whole). Corpora recorded before the
    /// option existed read as "detect".</summary>
    [JsonPropertyName("faces")]
    public string Faces { get; init; } = "detect";

    /// <summary>The people options every input of the corpus is predicted with.</summary>
    public PeopleOptions Linking() => new PeopleOptions { Enabled = People, MaxPeople = MaxPeople, MinPersonFrames = MinPersonFrames }.Check();


    /// <summary>The settings that differ from <paramref name="other"/>, for a message ("smooth 3, not 5").</summary>
    public string Differences(CorpusSettings other)
    {
        var diffs = new List<string>();
        if (Model != other.Model) diffs.Add($"model {other.Model}, not {Model}");
        if (Smooth != other.Smooth) diffs.Add($"--smooth {other.Smooth}, not {Smooth}");
        if (Tiles != other.Tiles) diffs.Add($"--tiles {other.Tiles}, not {Tiles}");
        if (AnnotatedVideo != other.AnnotatedVideo) diffs.Add(other.AnnotatedVideo ? "with the annotated video" : "--no-video");
        if (Report != other.Report) diffs.Add(other.Report ? "with the report" : "--no-report");
        if (Faces != other.Faces) diffs.Add($"--faces {other.Faces}, not {Faces}");
        if (BaseSize != other.BaseSize) diffs.Add($"--base-size {other.BaseSize?.ToString() ?? "(the checkpoint's)"}, not {BaseSize?.ToString() ?? "(the checkpoint's)"}");
        if (People != other.People) diffs.Add($"--people {(other.People ? "on" : "off")}, not {(People ? "on" : "off")}");
        if (MaxPeople != other.MaxPeople) diffs.Add($"--max-people {other.MaxPeople?.ToString() ?? "(all)"}, not {MaxPeople?.ToString() ?? "(all)"}");
        if (MinPersonFrames != other.MinPersonFrames) diffs.Add($"--min-person-frames {other.MinPersonFrames}, not {MinPersonFrames}");
        if (TrackFiles != other.TrackFiles) diffs.Add(other.TrackFiles ? "with --track-files" : "without --track-files");
        return string.Join(", ", diffs);
    }
}

/// <summary>The record a corpus folder keeps (<c>.videofer-corpus/corpus.json</c>): which inputs under which
/// names, with which settings and classes. No time stamp: every shard writes the same bytes.</summary>
public sealed record CorpusManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("settings")] CorpusSettings Settings,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("inputs")] IReadOnlyList<CorpusInput> Inputs)
{
    public const string CurrentFormat = "videofer-corpus/1";

    public bool SameAs(CorpusManifest other) =>
        Format == other.Format && Command == other.Command && Settings == other.Settings &&
        Classes.SequenceEqual(other.Classes) && Inputs.SequenceEqual(other.Inputs);
}
