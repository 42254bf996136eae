using System.Globalization;
using System.Text;
using System.Text.Json;
using VideoFer.Data.Randomness;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.IO;
using VideoFer.Formats;

namespace VideoFer.Data.Synthetic;

/// <summary>Generates a complete synthetic dataset: an Aff-Wild2 layout of the chosen edition (EXPR, VA and
/// AU annotations with unannotated frames and tracks, <c>cropped_aligned</c> JPEGs with missing frames,
/// <c>_left</c>/<c>_right</c> tracks) and an AffectNet-style still-image list; see <see cref="SynthLayout"/>.
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

        var edition = Options.Edition;
        var tasks = AbawTaskNames.Each(Options.Tasks).ToArray();
        // Both split folders of every task written, as in the real releases, even where a split is empty.
        foreach (var task in tasks)
            foreach (bool validation in new[] { false, true })
                Directory.CreateDirectory(SynthLayout.TaskSplitFolder(root, edition, task, validation));
        Directory.CreateDirectory(Path.Combine(root, SynthLayout.Meta));

        var stats = new TrackStats[tracks.Count];
        Parallel.For(0, tracks.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers, CancellationToken = ct },
            i => stats[i] = WriteTrack(root, tracks[i], Tick, ct));

        AffectNetSynthWriter.Write(root, Options.AffectNetImages, Options, () => Tick(1), ct);

        long multiTaskRows = 0;
        if (Options.MultiTaskFiles)
            foreach (bool validation in new[] { false, true })
            {
                var list = new StringBuilder(SynthLayout.MultiTaskHeader).Append('\n');
                for (int i = 0; i < tracks.Count; i++)
                    if (tracks[i].Validation == validation)
                    {
                        list.Append(stats[i].MultiTaskRows);
                        multiTaskRows += stats[i].Images;
                    }
                File.WriteAllText(Path.Combine(root, validation ? SynthLayout.MultiTaskValidation : SynthLayout.MultiTaskTraining), list.ToString());
            }

        var perClass = new long[7];
        foreach (var s in stats)
            for (int c = 0; c < 7; c++) perClass[c] += s.PerClass[c];
        var annotatedTracks = tasks.ToDictionary(AbawTaskNames.Name, t => stats.Count(s => s.Written.HasFlag(t)));
        var annotatedFrames = tasks.ToDictionary(AbawTaskNames.Name, t => stats.Sum(s => s.Annotated(t)));
        var summary = new SynthSummary(
            Generator: "videofer data synth",
            Layout: $"Aff-Wild2 {edition.Name()} ({string.Join(", ", tasks.Select(t => SynthLayout.TaskFolder(edition, t).Replace('\\', '/')))}, cropped_aligned)"
                    + (Options.MultiTaskFiles ? $" with {SynthLayout.MultiTaskTraining} and {SynthLayout.MultiTaskValidation}" : "")
                    + " and AffectNet original release",
            Seed: Options.Seed, Size: Options.Size, FramesMin: Options.FramesMin, FramesMax: Options.FramesMax,
            Videos: Options.Videos, Tracks: tracks.Count,
            TrainingTracks: tracks.Count(t => !t.Validation), ValidationTracks: tracks.Count(t => t.Validation),
            Frames: stats.Sum(s => s.Frames), Images: stats.Sum(s => s.Images),
            MissingImages: stats.Sum(s => s.Frames - s.Images), IgnoredFrames: stats.Sum(s => s.Ignored),
            LabelledFramesPerClass: perClass, AffectNetImages: Options.AffectNetImages,
            Edition: edition.Name(), Tasks: AbawTaskNames.Name(Options.Tasks),
            AnnotatedTracks: annotatedTracks, AnnotatedFrames: annotatedFrames, MultiTaskRows: multiTaskRows);
        ct.ThrowIfCancellationRequested();
        File.WriteAllText(Path.Combine(root, SynthLayout.Manifest),
            JsonSerializer.Serialize(summary, JsonOutput.With(new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })) + "\n");
        return summary;
    }

    /// <summary>What one track contributed. <see cref="Ignored"/> and <see cref="PerClass"/> count its EXPR
    /// file's frames (none without one); <see cref="MultiTaskRows"/> are its lines of the multi-task list.</summary>
    sealed record TrackStats(long Frames, long Images, long Ignored, long[] PerClass, AbawTasks Written,
        long ExpressionAnnotated, long ValenceArousalAnnotated, long ActionUnitsAnnotated, string MultiTaskRows)
    {
        public long Annotated(AbawTasks task) => task switch
        {
            AbawTasks.Expression => ExpressionAnnotated,
            AbawTasks.ValenceArousal => ValenceArousalAnnotated,
            _ => ActionUnitsAnnotated,
        };
    }

    TrackStats WriteTrack(string root, SynthTrack track, Action<long> tick, CancellationToken ct)
    {
        var frames = TrackScript.Generate(track.FrameCount, track.Identity, track.Timeline,
            SeededRandom.Derive(Options.Seed, SynthPlan.StreamScript, track.Index));
        var affect = TrackAffect.Derive(frames, track.Identity, Options.UnannotatedFrames, Options.Seed, track.Index);
        var renderer = new FaceRenderer(Options.Size);
        using var background = renderer.RenderBackground(track.Identity);
        string folder = Path.GetDirectoryName(SynthLayout.FrameImage(root, track.Stem, 1))!;
        Directory.CreateDirectory(folder);

        var inv = CultureInfo.InvariantCulture;
        var edition = Options.Edition;
        var written = track.Annotated & Options.Tasks;
        var units = FaceAffect.UnitsOf(edition).Select(FaceAffect.IndexOf).ToArray();
        var multiTaskUnits = FaceAffect.Abaw2021Units.Select(FaceAffect.IndexOf).ToArray();
        string unitsUnannotated = string.Join(',', units.Select(_ => "-1"));
        string multiTaskUnitsUnannotated = string.Join(',', multiTaskUnits.Select(_ => "-1"));

        int classes = edition.ClassCount();
        var annotation = new StringBuilder(classes == 7 ? SynthLayout.Header7 : ExpressionHeader.For(classes)).Append('\n');
        var valenceArousal = new StringBuilder(SynthLayout.ValenceArousalHeader).Append('\n');
        var actionUnits = new StringBuilder(string.Join(',', FaceAffect.UnitsOf(edition))).Append('\n');
        var multiTask = new StringBuilder();
        var meta = new StringBuilder("frame,label,shown,intensity,has_image,occluded,blink,valence,arousal,action_units\n");
        long images = 0, ignored = 0, exprAnnotated = 0, vaAnnotated = 0, auAnnotated = 0;
        var perClass = new long[7];
        int pending = 0;
        foreach (var f in frames)
        {
            ct.ThrowIfCancellationRequested();
            int i = f.Frame - 1;
            if (f.HasImage)
            {
                var noise = SeededRandom.Derive(Options.Seed, SynthPlan.StreamNoise, track.Index, f.Frame);
                using var image = renderer.Render(track.Identity, f.Scene, background, noise);
                File.WriteAllBytes(SynthLayout.FrameImage(root, track.Stem, f.Frame), JpegCodec.Encode(image));
                images++;
            }
            if (written.HasFlag(AbawTasks.Expression))
            {
                if (f.Label < 0) ignored++;
                else { perClass[f.Label]++; exprAnnotated++; }
            }
            annotation.Append(f.Label.ToString(inv)).Append('\n');

            string va = affect.ValenceArousalAnnotated[i] ? $"{Number(affect.Valence[i])},{Number(affect.Arousal[i])}" : "-5,-5";
            if (affect.ValenceArousalAnnotated[i]) vaAnnotated++;
            valenceArousal.Append(va).Append('\n');
            var active = affect.Active[i];
            actionUnits.Append(affect.ActionUnitsAnnotated[i] ? string.Join(',', units.Select(u => active[u] ? '1' : '0')) : unitsUnannotated).Append('\n');
            if (affect.ActionUnitsAnnotated[i]) auAnnotated++;

            // The multi-task list has a row per image; a task the track lacks gets its sentinel.
            if (Options.MultiTaskFiles && f.HasImage)
                multiTask.Append(inv, $"{track.Stem}/{f.Frame:D5}.jpg,")
                    .Append(written.HasFlag(AbawTasks.ValenceArousal) ? va : "-5,-5").Append(',')
                    .Append(written.HasFlag(AbawTasks.Expression) ? f.Label.ToString(inv) : "-1").Append(',')
                    .Append(written.HasFlag(AbawTasks.ActionUnits) && affect.ActionUnitsAnnotated[i]
                        ? string.Join(',', multiTaskUnits.Select(u => active[u] ? '1' : '0')) : multiTaskUnitsUnannotated)
                    .Append('\n');

            string activeUnits = string.Join(' ', FaceAffect.Units.Where((_, u) => active[u]));
            meta.Append(inv, $"{f.Frame},{f.Label},{(int)f.Shown},{f.Intensity:F3},{(f.HasImage ? 1 : 0)},{(f.Occluded ? 1 : 0)},{(f.Blink ? 1 : 0)},")
                .Append(inv, $"{Number(affect.Valence[i])},{Number(affect.Arousal[i])},{activeUnits}\n");
            if (++pending == 16) { tick(pending); pending = 0; }
        }
        tick(pending);
        if (written.HasFlag(AbawTasks.Expression))
            File.WriteAllText(SynthLayout.TaskFile(root, edition, AbawTasks.Expression, track.Validation, track.Stem), annotation.ToString());
        if (written.HasFlag(AbawTasks.ValenceArousal))
            File.WriteAllText(SynthLayout.TaskFile(root, edition, AbawTasks.ValenceArousal, track.Validation, track.Stem), valenceArousal.ToString());
        if (written.HasFlag(AbawTasks.ActionUnits))
            File.WriteAllText(SynthLayout.TaskFile(root, edition, AbawTasks.ActionUnits, track.Validation, track.Stem), actionUnits.ToString());
        File.WriteAllText(SynthLayout.MetaFile(root, track.Stem), meta.ToString());
        return new TrackStats(frames.Count, images, ignored, perClass, written,
            exprAnnotated, written.HasFlag(AbawTasks.ValenceArousal) ? vaAnnotated : 0,
            written.HasFlag(AbawTasks.ActionUnits) ? auAnnotated : 0, multiTask.ToString());
    }

    /// <summary>A value of a VA file: 4 decimals, never "-0.0000".</summary>
    static string Number(float value) =>
        (Math.Round((double)value, 4) + 0.0).ToString("F4", CultureInfo.InvariantCulture);
}
