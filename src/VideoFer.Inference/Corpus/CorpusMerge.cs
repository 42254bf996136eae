using VideoFer.IO;
using VideoFer.Sharding;

namespace VideoFer.Inference.Corpus;

/// <summary>`videofer merge`: the corpus files of a corpus whose shards ran apart, byte-identical to
/// those of one run on the same inputs (they are built from the input folders alone).
/// <list type="bullet">
/// <item>Shards that shared one folder: <c>merge OUT</c> writes its corpus files once no input is pending
/// (the last shard to finish writes them too; merge says what is still missing).</item>
/// <item>Shards that each had their own folder (no shared storage): <c>merge A B C --out OUT</c> copies each
/// input's folder (and each failure) from the shard folder that holds it into OUT, then writes the
/// corpus files. The shard folders must hold the same corpus (inputs and settings) and are only read.</item>
/// </list></summary>
public static class CorpusMerge
{
    /// <summary><see cref="Failed"/>: inputs of the corpus that failed (in whichever shard).</summary>
    public sealed record Report(string Root, int Inputs, int Copied, int Failed, CorpusFiles.Outcome Files);

    public static Report Run(IReadOnlyList<string> shardFolders, string? outDir)
    {
        if (shardFolders.Count == 0) throw new VideoFerException("merge: name at least one corpus folder");
        var folders = shardFolders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct().ToList();
        var manifests = folders.Select(f => (Folder: f, Manifest: Directory.Exists(f) ? CorpusFolder.ReadManifest(f)
            : throw VideoFerException.InFile(f, "no such folder"))).ToList();
        foreach (var (f, m) in manifests)
            if (m is null) throw VideoFerException.InFile(f, "holds no VideoFer corpus (no .videofer-corpus/corpus.json): is it the --out of `videofer predict` over many inputs?");
        var first = manifests[0].Manifest!;
        foreach (var (f, m) in manifests.Skip(1))
            if (!m!.SameAs(first))
                throw new VideoFerException($"{f}: holds another corpus than {manifests[0].Folder} (other inputs, settings or classes); shards of one corpus come from one command line");

        string target = outDir is null ? folders[0] : Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        if (outDir is null && folders.Count > 1)
            throw new VideoFerException("merge: several shard folders need --out, the folder to combine them into");
        using var corpus = CorpusFolder.Open(target, first.Inputs, first.Settings, ShardSpec.All, force: false);
        corpus.Begin(first.Classes);
        int copied = 0;
        foreach (var input in first.Inputs)
        {
            if (corpus.StateOf(input) == InputState.Completed) continue;
            var from = folders.Where(f => f != target).FirstOrDefault(f => CorpusFolder.ProbeState(f, input) == InputState.Completed);
            if (from != null)
            {
                Copy(corpus, input, Path.Combine(from, input.Name));
                copied++;
                continue;
            }
            var failedIn = folders.FirstOrDefault(f => CorpusFolder.ProbeState(f, input) == InputState.Failed);
            if (failedIn != null && failedIn != target)
            {
                corpus.RecordFailure(input, CorpusFolder.FailureOf(failedIn, input) ?? "failed");
            }
        }
        var files = corpus.WriteCorpusFiles();
        int failed = first.Inputs.Count(i => corpus.StateOf(i) == InputState.Failed);
        return new Report(target, first.Inputs.Count, copied, failed, files);
    }

    /// <summary>Copies one completed input folder (the files its manifest names) into the corpus, staged
    /// and swapped in whole like a prediction.</summary>
    static void Copy(CorpusFolder corpus, CorpusInput input, string source)
    {
        var manifest = System.Text.Json.JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(source, OutputFolder.ManifestName)))!;
        using var target = corpus.OpenInput(input);
        string staging = target.Stage();
        try
        {
            foreach (var file in manifest.Files)
            {
                var parts = file.Split('/');
                string to = PathGuard.Combine(staging, parts);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(PathGuard.Combine(source, parts), to);
            }
            corpus.ClearFailure(input);
            target.Commit(staging, input.Source);
        }
        catch
        {
            PathGuard.Delete(target.Root, staging);
            throw;
        }
    }
}
