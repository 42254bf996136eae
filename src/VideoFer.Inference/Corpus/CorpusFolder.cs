using System.Text.Json;
using VideoFer.IO;
using VideoFer.Sharding;
using VideoFer.Formats;

namespace VideoFer.Inference.Corpus;

/// <summary>Where an input of a corpus stands in its output folder.</summary>
public enum InputState
{
    /// <summary>Not done yet (or interrupted: a kill leaves nothing that looks complete).</summary>
    Pending,
    /// <summary>Its folder holds a whole set of outputs, recorded in the folder's manifest.</summary>
    Completed,
    /// <summary>It failed; the corpus keeps its one-line error (a rerun tries it again).</summary>
    Failed,
}

/// <summary>A corpus's output folder: <c>&lt;out&gt;/&lt;name&gt;/</c> per input (each a predict output folder of
/// its own: written in a staging folder, swapped in whole, recorded in its manifest, locked while
/// written), the corpus files (<see cref="CorpusFiles"/>), and VideoFer's record in
/// <c>.videofer-corpus/</c>: the inputs and settings (<c>corpus.json</c>), the failures
/// (<c>failed/&lt;name&gt;.json</c>) and locks.
/// <para>Shards of one corpus share the folder: each locks its shard (a second run of the same shard is
/// refused) and each input while writing it; short sections that read or write the corpus record take
/// a corpus lock. A folder that holds another corpus (other inputs or settings) is refused unless
/// --force, a single predict's results or anything else are always refused: two runs never mix.</para></summary>
public sealed class CorpusFolder : IDisposable
{
    public const string StateFolder = ".videofer-corpus";
    const string ManifestFile = "corpus.json";
    const string FailedFolder = "failed";
    const string CorpusLockFile = "corpus.lock";
    /// <summary>The files the command line's folders held that are no input, with the reason (summary.csv lists them).</summary>
    internal const string SkippedFile = "skipped.json";
    /// <summary>Each input folder's summary of its prediction (frames, faces, labels, seconds).</summary>
    public const string InputSummaryFile = "summary.json";

    static readonly JsonSerializerOptions Json = JsonOutput.Indented;

    readonly FileLock? _shardLock;
    readonly IReadOnlyList<CorpusInput> _inputs;
    readonly CorpusSettings _settings;
    readonly bool _force;
    IReadOnlyList<SkippedInput> _skipped = [];

    CorpusFolder(string root, FileLock? shardLock, IReadOnlyList<CorpusInput> inputs, CorpusSettings settings, bool force)
    {
        Root = root;
        _shardLock = shardLock;
        _inputs = inputs;
        _settings = settings;
        _force = force;
    }

    /// <summary>Files met while expanding the command line that are no input (a text file in a folder of photos),
    /// with the reason: recorded at <see cref="Begin"/> for summary.csv, so that nothing is dropped silently.</summary>
    public IReadOnlyList<SkippedInput> Skipped { get => _skipped; init => _skipped = value; }

    /// <summary>The output folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>The corpus's inputs, in order.</summary>
    public IReadOnlyList<CorpusInput> Inputs => _inputs;

    /// <summary>What this run does to what the folder held, in words: a new corpus, resuming it, adding
    /// inputs to it, or redoing or replacing it (--force).</summary>
    public string? Change { get; private set; }

    /// <summary>Checks <paramref name="path"/> before any work, and takes this shard's lock. Refused: a file,
    /// a root, an unwritable place; a folder holding a single predict's results or anything that is not
    /// a VideoFer corpus; a corpus with other settings, or with inputs this command does not list,
    /// unless <paramref name="force"/> (which then redoes everything and drops those inputs).</summary>
    public static CorpusFolder Open(string path, IReadOnlyList<CorpusInput> inputs, CorpusSettings settings, ShardSpec shard, bool force,
        IReadOnlyList<SkippedInput>? skipped = null)
    {
        var (root, created) = OutputFolder.Prepare(path);
        string state = Path.Combine(root, StateFolder);
        bool stateCreated = !Directory.Exists(state);
        CorpusFolder? folder = null;
        try
        {
            if (File.Exists(Path.Combine(root, OutputFolder.ManifestName)))
            {
                var single = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(root, OutputFolder.ManifestName)));
                throw new VideoFerException($"--out {root}: holds the results of `videofer {single?.Command ?? "predict"}` on one input ({single?.Input}); " +
                                            "choose another folder for a corpus");
            }
            // Checked before anything is written there, so a refused folder stays exactly as it was...
            new CorpusFolder(root, null, inputs, settings, force).Check(ReadManifest(root));
            try { Directory.CreateDirectory(Path.Combine(state, FailedFolder)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new VideoFerException($"--out {root}: cannot write in this folder: {e.Message}", e);
            }
            var shardLock = FileLock.TryAcquire(Path.Combine(state, $"shard-{shard.Index}-of-{shard.Count}.lock"))
                ?? throw new FolderBusyException($"--out {root}: another VideoFer run is working on {(shard.Count > 1 ? $"shard {shard}" : "this corpus")} " +
                                                 "right now; wait for it to finish or choose another folder");
            folder = new CorpusFolder(root, shardLock, inputs, settings, force) { Skipped = skipped ?? [] };
            folder.WithCorpusLock(() => folder.Check(folder.ReadManifest())); // ...and again, now that no run of this shard can change it
            return folder;
        }
        catch
        {
            // Our own lock file goes while still held (unlinked before unlocked, as FileLock does), so no
            // run that opens the name meanwhile loses its lock; another run's locks stay.
            if (stateCreated && folder?._shardLock is { } own) try { File.Delete(own.Path); } catch (IOException) { }
            folder?.Dispose();
            if (stateCreated) RemoveEmptyBookkeeping(root, created);
            throw;
        }
    }

    /// <summary>Removes the folders a refused start created, if empty, and the output folder if this start
    /// created it and it is empty.</summary>
    static void RemoveEmptyBookkeeping(string root, bool rootCreated)
    {
        string state = Path.Combine(root, StateFolder);
        foreach (var dir in new[] { Path.Combine(state, FailedFolder), state, root })
            try
            {
                if ((dir != root || rootCreated) && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                    Directory.Delete(dir);
            }
            catch (IOException) { } // something else is there now: keep it
            catch (UnauthorizedAccessException) { }
    }

    /// <summary>Refuses what this run must not mix with; says what it will change.</summary>
    void Check(CorpusManifest? existing)
    {
        if (existing == null)
        {
            var foreign = Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName).OfType<string>()
                .Where(n => n != StateFolder && !AtomicFile.IsTemporary(n) && !OutputFolder.IsProbe(n)).Order(StringComparer.Ordinal).ToList();
            if (foreign.Count > 0)
                throw new VideoFerException($"--out {Root}: is not empty and holds no VideoFer corpus ({string.Join(", ", foreign.Take(3))}" +
                                            $"{(foreign.Count > 3 ? $" and {foreign.Count - 3} more" : "")}); choose a new or empty folder");
            Change = "new corpus";
            return;
        }
        if (existing.Command != "predict" || existing.Format != CorpusManifest.CurrentFormat)
            throw new VideoFerException($"--out {Root}: holds a corpus of another kind ({existing.Format}, {existing.Command}); choose another folder");
        if (existing.Settings != _settings && !_force)
            throw new VideoFerException($"--out {Root}: holds a corpus predicted with other settings (this command: {existing.Settings.Differences(_settings)}); " +
                                        "pass --force to redo it with these, or choose another folder");
        var dropped = Dropped(existing);
        if (dropped.Count > 0 && !_force)
            throw new VideoFerException($"--out {Root}: holds a corpus of {existing.Inputs.Count} inputs, {dropped.Count} of which this command does not list " +
                                        $"({string.Join(", ", dropped.Take(3).Select(i => i.Source))}{(dropped.Count > 3 ? ", ..." : "")}); " +
                                        "list them too, pass --force to drop their results, or choose another folder");
        int added = _inputs.Count(i => !existing.Inputs.Contains(i));
        Change = dropped.Count > 0 || existing.Settings != _settings ? "replacing the corpus it held (--force)"
            : added > 0 ? $"adding {added} inputs to its corpus of {existing.Inputs.Count}"
            : _force ? "redoing its corpus (--force)" : "resuming its corpus";
    }

    List<CorpusInput> Dropped(CorpusManifest existing) => existing.Inputs.Where(i => !_inputs.Contains(i)).ToList();

    /// <summary>Records this run's corpus (the inputs, the settings, the model's classes), after the model
    /// has loaded. Inputs that a --force run drops lose their outputs (as their manifests name them),
    /// and corpus files that no longer describe the corpus go.</summary>
    public void Begin(IReadOnlyList<string> classNames) => WithCorpusLock(() =>
    {
        var manifest = new CorpusManifest(CorpusManifest.CurrentFormat, "predict", _settings, classNames, _inputs);
        var existing = ReadManifest();
        Check(existing); // again: another run may have changed it since Open
        if (existing != null && !existing.Classes.SequenceEqual(classNames) && !_force)
            throw new VideoFerException($"--out {Root}: holds a corpus predicted with the classes {string.Join(", ", existing.Classes)}, " +
                                        $"but this model has {string.Join(", ", classNames)}; pass --force to redo it, or choose another folder");
        AtomicFile.RemoveOrphansOf(StatePath(ManifestFile)); // a killed Begin's; we hold the corpus lock
        WriteSkipped();
        if (existing != null && existing.SameAs(manifest) && !_force) return;
        foreach (var input in existing is null ? [] : Dropped(existing))
        {
            using (var folder = OpenInput(input)) folder.RemoveOutputs();
            OutputFolder.RemoveIfUnused(InputFolder(input));
            ClearFailure(input);
        }
        CorpusFiles.Remove(Root);
        if (existing == null || !existing.SameAs(manifest))
            AtomicFile.WriteText(StatePath(ManifestFile), w => w.Write(JsonSerializer.Serialize(manifest, Json)));
    });

    /// <summary>Records this command line's skipped files (every shard of it lists the same ones).</summary>
    void WriteSkipped()
    {
        AtomicFile.RemoveOrphansOf(StatePath(SkippedFile));
        AtomicFile.WriteText(StatePath(SkippedFile), w => w.Write(JsonSerializer.Serialize(_skipped, Json)));
    }

    /// <summary>The skipped files a corpus folder records (none for corpora written before they were).</summary>
    internal static IReadOnlyList<SkippedInput> ReadSkipped(string root)
    {
        string path = PathGuard.Combine(root, StateFolder, SkippedFile);
        if (!File.Exists(path)) return [];
        try { return JsonSerializer.Deserialize<List<SkippedInput>>(File.ReadAllText(path)) ?? []; }
        catch (JsonException e) { throw VideoFerException.InFile(path, $"VideoFer's record of skipped files is unreadable ({e.Message})"); }
    }

    /// <summary>Refuses a corpus folder as the output of a predict on one input (it would mix with the corpus).</summary>
    public static void RefuseForOneInput(string path)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(Path.Combine(root, StateFolder)))
            throw new VideoFerException($"--out {root}: holds a corpus (`videofer predict` over many inputs); choose another folder, " +
                                        "or add the input to the corpus's own command line");
    }

    /// <summary>The folder of an input's outputs.</summary>
    public string InputFolder(CorpusInput input) => PathGuard.Combine(Root, input.Name);

    string StatePath(params string[] parts) => PathGuard.Combine(Path.Combine(Root, StateFolder), parts);

    string FailurePath(CorpusInput input) => StatePath(FailedFolder, input.Name + ".json");

    /// <summary>Where an input stands, read without locking it (a live writer's input reads as pending).</summary>
    public InputState StateOf(CorpusInput input) => ProbeState(Root, input);

    internal static InputState ProbeState(string root, CorpusInput input)
    {
        if (File.Exists(PathGuard.Combine(root, StateFolder, FailedFolder, input.Name + ".json"))) return InputState.Failed;
        string dir = PathGuard.Combine(root, input.Name);
        string manifest = Path.Combine(dir, OutputFolder.ManifestName);
        // A swap in progress (or killed inside) is a mix: not complete until the next run repairs it.
        if (!File.Exists(manifest) || File.Exists(Path.Combine(dir, OutputFolder.NextManifestName))) return InputState.Pending;
        try
        {
            var m = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(manifest));
            if (m?.Command != "predict" || m.Input != input.Source || !m.Files.Contains(InputSummaryFile)) return InputState.Pending;
            return Changed(root, input) ? InputState.Pending : InputState.Completed;
        }
        catch (Exception e) when (e is JsonException or IOException) { return InputState.Pending; }
    }

    /// <summary>Whether an input's file (or frame folder) is no longer what its results were made from (size or
    /// modification time differ from the fingerprint its summary.json recorded).</summary>
    public static bool Changed(string root, CorpusInput input)
    {
        string path = PathGuard.Combine(root, input.Name, InputSummaryFile);
        try
        {
            var recorded = JsonSerializer.Deserialize<CorpusFiles.InputSummary>(File.ReadAllText(path))?.Fingerprint;
            return recorded is not null && recorded != InputFingerprint.Of(input.Source);
        }
        catch (Exception e) when (e is JsonException or IOException) { return false; }
    }

    /// <summary>Takes an input's folder for writing (its own lock): refused with <see cref="FolderBusyException"/>
    /// while another run writes it, and when it holds anything but this input's earlier outputs.</summary>
    public OutputFolder OpenInput(CorpusInput input)
    {
        var folder = OutputFolder.Open(InputFolder(input), "predict", use: FolderUse.OwnOutputs);
        try
        {
            folder.CheckReuse(input.Source, force: false);
            AtomicFile.RemoveOrphansOf(FailurePath(input)); // a killed run's; only the input's holder writes it
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Keeps an input's one-line error for summary.csv (and for the shards that write it).</summary>
    public void RecordFailure(CorpusInput input, string error) =>
        AtomicFile.WriteText(FailurePath(input), w => w.Write(JsonSerializer.Serialize(new FailureRecord(input.Source, OneLine(error)), Json)));

    /// <summary>Forgets an input's failure (it has just completed, or left the corpus).</summary>
    public void ClearFailure(CorpusInput input)
    {
        string path = FailurePath(input);
        if (File.Exists(path)) File.Delete(path);
    }

    internal static string? FailureOf(string root, CorpusInput input)
    {
        string path = PathGuard.Combine(root, StateFolder, FailedFolder, input.Name + ".json");
        return File.Exists(path) ? JsonSerializer.Deserialize<FailureRecord>(File.ReadAllText(path))?.Error : null;
    }

    /// <summary>An error as one line: file names can hold line breaks.</summary>
    public static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    /// <summary>Writes the corpus files when no input is pending any more (every input completed or failed,
    /// by this run or another shard); otherwise leaves them and returns the pending inputs.</summary>
    public CorpusFiles.Outcome WriteCorpusFiles() => WithCorpusLock(() =>
    {
        var manifest = ReadManifest() ?? throw new VideoFerException($"--out {Root}: its corpus record ({StateFolder}/{ManifestFile}) has gone");
        if (!manifest.Inputs.SequenceEqual(_inputs) || manifest.Settings != _settings)
            throw new VideoFerException($"--out {Root}: another run changed its corpus meanwhile; run this command again");
        CorpusFiles.RemoveOrphans(Root); // a killed writer's; corpus files are written only under this lock
        return CorpusFiles.WriteIfComplete(Root, manifest);
    });

    /// <summary>The corpus record of a folder, or null when it holds none.</summary>
    public static CorpusManifest? ReadManifest(string root)
    {
        string path = Path.Combine(root, StateFolder, ManifestFile);
        if (!File.Exists(path)) return null;
        try
        {
            var m = JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path));
            // Names are where files go: one that is not a plain safe name is not ours to act on.
            if (m?.Inputs == null || m.Settings == null || m.Classes == null || m.Inputs.Any(i => !SafeName.IsSafe(i.Name) || CorpusFiles.IsReserved(i.Name)))
                throw new JsonException("invalid input list");
            return m;
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"VideoFer's record of this corpus is unreadable ({e.Message}); choose another folder");
        }
    }

    CorpusManifest? ReadManifest() => ReadManifest(Root);

    T WithCorpusLock<T>(Func<T> action) => WithCorpusLock(Root, action);

    void WithCorpusLock(Action action) => WithCorpusLock<bool>(() => { action(); return true; });

    /// <summary>Runs <paramref name="action"/> holding the corpus lock: shards hold it for milliseconds
    /// (reading or writing the record, writing the corpus files), so waiting for it is right.</summary>
    internal static T WithCorpusLock<T>(string root, Func<T> action)
    {
        string path = Path.Combine(root, StateFolder, CorpusLockFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        FileLock? held;
        while ((held = FileLock.TryAcquire(path)) == null)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(10))
                throw new FolderBusyException($"--out {root}: another VideoFer run has held the corpus record for 10 minutes; is a run stuck?");
            Thread.Sleep(50);
        }
        using (held) return action();
    }

    public void Dispose() => _shardLock?.Dispose();

    internal sealed record FailureRecord(
        [property: System.Text.Json.Serialization.JsonPropertyName("source")] string Source,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);
}
