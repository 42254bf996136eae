using System.Globalization;
using System.Text;
using System.Text.Json;
using VideoFer.Data.Randomness;
using VideoFer.IO;
using VideoFer.Formats;

namespace VideoFer.Data.Synthetic;

/// <summary>Generates a complete synthetic expression dataset: Aff-Wild2 2020 layout (annotations with
/// <c>-1</c> frames, <c>cropped_aligned</c> JPEGs with missing frames, <c>_left</c>/<c>_right</c> tracks)
/// and an AffectNet-style still-image list; see <see cref="SynthLayout"/>.
/// <para>The same options give byte-identical files. The dataset is built in a hidden staging folder
/// inside the output folder and moved into place only when complete, with <c>synth.json</c> last, so
/// an interrupted run never leaves something that looks like a finished dataset.</para></summary>
public sealed class SyntheticDatasetWriter(SynthOptions options)
{
    public SynthOptions Options { get; } = options;

    /// <summary>Total work units reported to the progress callback: every video frame plus every still.</summary>
    public long TotalUnits(IReadOnlyList<SynthTrack> tracks) => tracks.Sum(t => (long)t.FrameCount) + Options.AffectNetImages;

    /// <summary>Writes the dataset to <paramref name="outDir"/>, which must not exist or be empty.
    /// <paramref name="progress"/> gets (done, total) from worker threads.</summary>
    public SynthSummary Write(string outDir, Action<long, long>? progress = null, CancellationToken ct = default)
    {
        Options.Validate();
        using var folder = OutputFolder.Open(outDir, "data synth", use: FolderUse.Empty);
        // Built inside the output folder (never beside it: nothing is written outside the folder the user
        // named), then moved up; synth.json, the completion marker, moves last.
        string staging = folder.Stage();
        try
        {
            var summary = WriteInto(staging, progress, ct);
            foreach (var entry in Directory.EnumerateFileSystemEntries(staging).Select(Path.GetFileName).OfType<string>()
                         .Where(n => n != SynthLayout.Manifest).Order(StringComparer.Ordinal).Append(SynthLayout.Manifest))
            {
                string from = Path.Combine(staging, entry), to = folder.PathOf(entry);
                if (Directory.Exists(from)) Directory.Move(from, to);
                else File.Move(from, to);
            }
            return summary;
        }
        finally
        {
            PathGuard.Delete(folder.Root, staging);
        }
    }

    SynthSummary WriteInto(string root, Action<long, long>? progress, CancellationToken ct)
    {
        var tracks = SynthPlan.Create(Options);
        long total = TotalUnits(tracks), done = 0;
        void Tick(long n) => progress?.Invoke(Interlocked.Add(ref done, n), total);

        foreach (bool validation in new[] { false, true })
            Directory.CreateDirectory(Path.GetDirectoryName(SynthLayout.AnnotationFile(root, validation, "x"))!);
        Directory.CreateDirectory(Path.Combine(root, SynthLayout.Meta));

        var stats = new TrackStats[tracks.Count];
        Parallel.For(0, tracks.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers, CancellationToken = ct },
            i => stats[i] = WriteTrack(root, tracks[i], Tick, ct));

        AffectNetSynthWriter.Write(root, Options.AffectNetImages, Options, () => Tick(1), ct);

        var perClass = new long[7];
        foreach (var s in stats)
            for (int c = 0; c < 7; c++) perClass[c] += s.PerClass[c];
        var summary = new SynthSummary(
            Generator: "videofer data synth",
            Layout: "Aff-Wild2 2020 (annotations/EXPR_Set, cropped_aligned) and AffectNet original release",
            Seed: Options.Seed, Size: Options.Size, FramesMin: Options.FramesMin, FramesMax: Options.FramesMax,
            Videos: Options.Videos, Tracks: tracks.Count,
            TrainingTracks: tracks.Count(t => !t.Validation), ValidationTracks: tracks.Count(t => t.Validation),
            Frames: stats.Sum(s => s.Frames), Images: stats.Sum(s => s.Images),
            MissingImages: stats.Sum(s => s.Frames - s.Images), IgnoredFrames: stats.Sum(s => s.Ignored),
            LabelledFramesPerClass: perClass, AffectNetImages: Options.AffectNetImages);
        ct.ThrowIfCancellationRequested();
        File.WriteAllText(Path.Combine(root, SynthLayout.Manifest),
            JsonSerializer.Serialize(summary, JsonOutput.With(new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })) + "\n");
        return summary;
    }

    sealed record TrackStats(long Frames, long Images, long Ignored, long[] PerClass);

    TrackStats WriteTrack(string root, SynthTrack track, Action<long> tick, CancellationToken ct)
    {
        var frames = TrackScript.Generate(track.FrameCount, track.Identity, track.Timeline,
            SeededRandom.Derive(Options.Seed, SynthPlan.StreamScript, track.Index));
        var renderer = new FaceRenderer(Options.Size);
        using var background = renderer.RenderBackground(track.Identity);
        string folder = Path.GetDirectoryName(SynthLayout.FrameImage(root, track.Stem, 1))!;
        Directory.CreateDirectory(folder);

        var inv = CultureInfo.InvariantCulture;
        var annotation = new StringBuilder(SynthLayout.Header7).Append('\n');
        var meta = new StringBuilder("frame,label,shown,intensity,has_image,occluded,blink\n");
        long images = 0, ignored = 0;
        var perClass = new long[7];
        int pending = 0;
        foreach (var f in frames)
        {
            ct.ThrowIfCancellationRequested();
            if (f.HasImage)
            {
                var noise = SeededRandom.Derive(Options.Seed, SynthPlan.StreamNoise, track.Index, f.Frame);
                using var image = renderer.Render(track.Identity, f.Scene, background, noise);
                File.WriteAllBytes(SynthLayout.FrameImage(root, track.Stem, f.Frame), JpegCodec.Encode(image));
                images++;
            }
            if (f.Label < 0) ignored++;
            else perClass[f.Label]++;
            annotation.Append(f.Label.ToString(inv)).Append('\n');
            meta.Append(inv, $"{f.Frame},{f.Label},{(int)f.Shown},{f.Intensity:F3},{(f.HasImage ? 1 : 0)},{(f.Occluded ? 1 : 0)},{(f.Blink ? 1 : 0)}\n");
            if (++pending == 16) { tick(pending); pending = 0; }
        }
        tick(pending);
        File.WriteAllText(SynthLayout.AnnotationFile(root, track.Validation, track.Stem), annotation.ToString());
        File.WriteAllText(SynthLayout.MetaFile(root, track.Stem), meta.ToString());
        return new TrackStats(frames.Count, images, ignored, perClass);
    }

}
