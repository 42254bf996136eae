using System.Text.Json;
using System.Text.Json.Serialization;
using VideoFer.Formats;

namespace VideoFer.IO;

/// <summary>The folder a command writes into, held for the whole command. Opening it checks the location
/// before any work (not a file, creatable, writable), takes an exclusive lock so that a second run into
/// the same folder is refused with a clear message, and removes the temporary files a killed run left.
/// <para>For commands whose outputs form one set (predict), <see cref="Stage"/> and <see cref="Commit"/>
/// replace the previous run's outputs as a whole: the new files are written in a hidden staging folder,
/// and only once they are all there are the files of the previous run (as its manifest names them, and
/// nothing else) removed and the new ones moved into place. A kill leaves either the old set or the
/// new one; a kill inside the swap itself (milliseconds) leaves a record of it, and the next run
/// that opens the folder removes both sets instead of keeping a mix that looks complete.</para></summary>
public sealed class OutputFolder(string root, bool created, FileLock held, string command) : IDisposable
{
    public const string LockName = ".videofer.lock";

    /// <summary>The writability probe of <see cref="Prepare"/>: another run's, seen while it starts (shards
    /// starting together on one new folder), is not content.</summary>
    public const string ProbePrefix = ".videofer-probe-";

    public static bool IsProbe(string name) => name.StartsWith(ProbePrefix, StringComparison.Ordinal);
    public const string ManifestName = ".videofer-run.json";
    /// <summary>Present while a run swaps its outputs in (see <see cref="Commit"/>): the folder is then a mix.</summary>
    public const string NextManifestName = ".videofer-run.next.json";
    const string StagingPrefix = ".staging-";

    static readonly JsonSerializerOptions Json = JsonOutput.With(new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; } = root;

    /// <summary>Whether this run created the folder (a failed start then removes it again).</summary>
    public bool Created { get; } = created;

    /// <summary>Checks, creates and locks <paramref name="path"/> for <paramref name="command"/>, and removes
    /// orphaned temporary files directly in it. <paramref name="option"/> names the flag in messages.
    /// <paramref name="use"/> says what the folder may already hold; it is checked before anything is
    /// written there, so a refused folder is left exactly as it was.</summary>
    public static OutputFolder Open(string path, string command, string option = "--out", FolderUse use = FolderUse.Any)
    {
        CheckUse(path, command, option, use);
        var (root, created) = Create(path, option); // creating the lock file below proves it writable
        string lockPath = Path.Combine(root, LockName);
        FileLock? held;
        try
        {
            // A folder that must start empty ends as the command's own product (a dataset, a run), so the
            // lock file goes with the lock: any later run finds the folder non-empty and is refused anyway.
            held = FileLock.TryAcquire(lockPath, deleteOnRelease: use == FolderUse.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveIfCreated(root, created);
            throw new VideoFerException($"{option} {root}: cannot write in this folder: {e.Message}", e);
        }
        if (held == null)
            throw new FolderBusyException($"{option} {root}: another VideoFer run is writing to this folder right now; " +
                                          "wait for it to finish or choose another folder");
        var folder = new OutputFolder(root, created, held, command);
        try
        {
            CheckUse(root, command, option, use); // again, now that no other run can change it
            folder.RemoveLeftovers();
        }
        catch
        {
            folder.Dispose();
            throw;
        }
        return folder;
    }

    static void CheckUse(string path, string command, string option, FolderUse use)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (use == FolderUse.Any || !Directory.Exists(root)) return;
        // A killed run's staging folders and temporary files are leftovers this run removes, not content.
        var entries = Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).OfType<string>()
            .Where(n => n != LockName && !n.StartsWith(StagingPrefix, StringComparison.Ordinal) && !AtomicFile.IsTemporary(n) && !IsProbe(n))
            .Order(StringComparer.Ordinal).ToList();
        if (use == FolderUse.Empty && entries.Count > 0)
            throw new VideoFerException($"{option} {root}: already exists and is not empty ({Describe(entries)}); choose a new {option} or remove it");
        if (use == FolderUse.OwnOutputs && ForeignEntries(root, entries) is { Count: > 0 } foreign)
            throw new VideoFerException($"{option} {root}: holds files that are not outputs of an earlier `videofer {command}` " +
                                        $"({Describe(foreign)}); choose a new or empty folder");
    }

    /// <summary>Checks an output location without locking it (for commands whose runs share a folder
    /// and lock finer parts of it): not a root, not a file, creatable. Returns the full path and
    /// whether it was created now.</summary>
    public static (string Root, bool Created) Prepare(string path, string option = "--out")
    {
        var (root, created) = Create(path, option);
        try
        {
            // Creating a folder can succeed where writing cannot (e.g. a read-only mount): probe.
            string probe = Path.Combine(root, $"{ProbePrefix}{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            RemoveIfCreated(root, created);
            throw new VideoFerException($"{option} {root}: cannot write in this folder: {e.Message}", e);
        }
        return (root, created);
    }

    /// <summary>Refuses a root or a file, creates the folder if needed.</summary>
    static (string Root, bool Created) Create(string path, string option)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Path.GetPathRoot(root) == root || root.Length == 0)
            throw new VideoFerException($"{option} {root}: refused: a file system root cannot be an output folder");
        if (File.Exists(root))
            throw new VideoFerException($"{option} {root}: is a file; {option} must name a folder");
        bool created = !Directory.Exists(root);
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new VideoFerException($"{option} {root}: cannot write in this folder: {e.Message}", e);
        }
        return (root, created);
    }

    /// <summary>A path inside the folder (refused if <paramref name="parts"/> would leave it).</summary>
    public string PathOf(params string[] parts) => PathGuard.Combine(Root, parts);

    /// <summary>Removes orphaned temporary files of <see cref="AtomicFile"/> in the given subfolders too.</summary>
    public void RemoveOrphans(params string[] subfolders)
    {
        foreach (var sub in subfolders) AtomicFile.RemoveOrphans(PathOf(sub));
    }

    /// <summary>Top-level entries that are neither VideoFer's bookkeeping nor named by the manifest of an
    /// earlier run in this folder: files a command must not mix its outputs with.</summary>
    static List<string> ForeignEntries(string root, IEnumerable<string> entries)
    {
        var ours = new HashSet<string>(StringComparer.Ordinal) { LockName, ManifestName, NextManifestName };
        foreach (var name in new[] { ManifestName, NextManifestName })
            if (ReadManifest(root, name) is { } m)
                foreach (var f in m.Files) ours.Add(f.Split('/')[0]);
        return entries.Where(n => !ours.Contains(n)).ToList();
    }

    /// <summary>What the last completed run in this folder recorded, or null.</summary>
    public RunManifest? Previous => ReadManifest(Root, ManifestName);

    /// <summary>Refuses to mix outputs of two inputs (open the folder with <see cref="FolderUse.OwnOutputs"/>):
    /// an earlier run on another input is replaced only with <paramref name="force"/>. Returns the
    /// earlier run, if any.</summary>
    public RunManifest? CheckReuse(string input, bool force, string forceOption = "--force")
    {
        var previous = Previous;
        if (previous == null) return null;
        if (previous.Command != command)
            throw new VideoFerException($"--out {Root}: holds the outputs of `videofer {previous.Command}`; choose another folder");
        if (!force && previous.Input != input)
            throw new VideoFerException($"--out {Root}: holds the results of {previous.Input}; " +
                $"choose another folder, or pass {forceOption} to replace them with those of {input}");
        return previous;
    }

    static string Describe(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(3)) + (names.Count > 3 ? $" and {names.Count - 3} more" : "");

    /// <summary><paramref name="message"/> with the staging folders of output folders taken out of its paths: a file
    /// that could not be written is named where it was going (out/x/annotated.png), not where it was staged.</summary>
    public static string WithoutStaging(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"[/\\]" + System.Text.RegularExpressions.Regex.Escape(StagingPrefix) + @"[0-9a-f]{32}(?=[/\\])", "");

    /// <summary>A new, empty hidden folder inside the output folder to write a run's outputs into.</summary>
    public string Stage()
    {
        string staging = PathOf(StagingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Replaces the outputs of the previous run by everything under <paramref name="staging"/>,
    /// records them in the manifest and removes the staging folder. Returns the committed files
    /// (relative paths, '/'-separated).</summary>
    public IReadOnlyList<string> Commit(string staging, string input)
    {
        if (!PathGuard.IsInside(Root, staging)) throw new ArgumentException("staging folder outside the output folder", nameof(staging));
        var files = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(staging, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();
        var next = new RunManifest(command, input, DateTimeOffset.UtcNow, files);
        // 1. Record what is about to be in place, so that a kill from here on leaves files a later run
        //    knows to be its own.
        WriteManifest(NextManifestName, next);
        // 2. Remove the previous outputs: only what its manifest names.
        if (Previous is { } previous) RemoveFiles(previous.Files);
        // 3. Move the new outputs into place, then make the new manifest the record.
        foreach (var file in files)
        {
            string target = PathOf(file.Split('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(PathGuard.Combine(staging, file.Split('/')), target, overwrite: true);
        }
        File.Move(PathOf(NextManifestName), PathOf(ManifestName), overwrite: true);
        PathGuard.Delete(Root, staging);
        return files;
    }

    /// <summary>Removes the outputs of the last run as its manifest names them, then the manifest: for a
    /// corpus that no longer holds this input. Files the manifest does not name stay.</summary>
    public void RemoveOutputs()
    {
        if (Previous is not { } previous) return;
        RemoveFiles(previous.Files);
        File.Delete(PathOf(ManifestName));
    }

    /// <summary>Deletes the given manifest-listed files (and the folders that become empty), inside the folder only.</summary>
    void RemoveFiles(IEnumerable<string> files)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            string path = PathOf(f.Split('/'));
            if (File.Exists(path)) File.Delete(path);
            for (string? dir = Path.GetDirectoryName(path); dir != null && PathGuard.IsInside(Root, dir); dir = Path.GetDirectoryName(dir))
                folders.Add(dir);
        }
        foreach (var dir in folders.OrderByDescending(d => d.Length))
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                Directory.Delete(dir);
    }

    /// <summary>What a killed run left: staging folders and temporary files (we hold the lock, so no
    /// live run owns them), and after a kill inside <see cref="Commit"/>'s swap, both the old and the
    /// new set: what is in place is a mix of the two.</summary>
    void RemoveLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root, StagingPrefix + "*"))
            PathGuard.Delete(Root, dir);
        AtomicFile.RemoveOrphans(Root);
        if (ReadManifest(Root, NextManifestName) is { } interrupted)
        {
            RemoveFiles(interrupted.Files.Concat(Previous?.Files ?? []));
            if (File.Exists(PathOf(ManifestName))) File.Delete(PathOf(ManifestName));
            File.Delete(PathOf(NextManifestName));
        }
    }

    static RunManifest? ReadManifest(string root, string name)
    {
        string path = Path.Combine(root, name);
        if (!File.Exists(path)) return null;
        try
        {
            var m = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Json);
            // A manifest that names paths outside the folder is not ours to act on.
            if (m?.Files == null || m.Files.Any(f => !PathGuard.IsInside(root, Path.Combine(root, f))))
                throw new JsonException("invalid file list");
            return m;
        }
        catch (JsonException e)
        {
            throw VideoFerException.InFile(path, $"VideoFer's record of an earlier run is unreadable ({e.Message}); remove the folder's outputs by hand or choose another folder");
        }
    }

    void WriteManifest(string name, RunManifest manifest) =>
        AtomicFile.WriteText(PathOf(name), w => w.Write(JsonSerializer.Serialize(manifest, Json)));

    static void RemoveIfCreated(string root, bool created)
    {
        if (!created) return;
        try { Directory.Delete(root); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Releases the lock. A folder this run created and left holding nothing but the lock file
    /// (a start that failed) is removed, so it does not block a retry.</summary>
    public void Dispose()
    {
        held.Dispose();
        if (Created) RemoveIfUnused(Root);
    }

    /// <summary>Removes <paramref name="root"/> when it holds nothing but VideoFer's lock file. Only for
    /// folders the caller created.</summary>
    public static void RemoveIfUnused(string root)
    {
        try
        {
            if (!Directory.Exists(root)) return;
            if (Directory.EnumerateFileSystemEntries(root).Any(e => Path.GetFileName(e) != LockName)) return;
            File.Delete(Path.Combine(root, LockName));
            Directory.Delete(root);
        }
        catch (IOException) { } // another run just started there
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The folder is held by another live run (its lock is taken): nothing is wrong with it, it is busy.</summary>
public sealed class FolderBusyException(string message) : VideoFerException(message);

/// <summary>What an output folder may already hold when a command opens it.</summary>
public enum FolderUse
{
    /// <summary>Anything: the command manages its own files there (a training run it resumes, a corpus
    /// that shards share).</summary>
    Any,
    /// <summary>Nothing, or only the outputs of an earlier run of the same command (as its manifest names them).</summary>
    OwnOutputs,
    /// <summary>Nothing (a new dataset, a new training run).</summary>
    Empty,
}

/// <summary>The record a run keeps in its output folder: which command, on which input, which files.</summary>
public sealed record RunManifest(
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("finished")] DateTimeOffset Finished,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files);
