using System.Security.Cryptography;
using System.Text;
using VideoFer.Vision.Video;

namespace VideoFer.Inference.Corpus;

/// <summary>One input of a corpus: its source (a full path) and the name of its folder under the
/// corpus's output folder (<c>&lt;out&gt;/&lt;Name&gt;/</c>), which is also the key shards split by.</summary>
public sealed record CorpusInput(
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
    [property: System.Text.Json.Serialization.JsonPropertyName("source")] string Source)
{
    /// <summary>Names for <paramref name="sources"/> (full paths, each once), in the same order. A name is
    /// the input's stem made one safe file name (<see cref="MediaSource.StemOf"/>: whatever a file is called,
    /// `../../x.mp4` or a name with a newline, it cannot leave the output folder). Inputs whose stems
    /// collide (a/x.mp4 and b/x.avi; case is ignored, for file systems that ignore it) or that would take
    /// the name of a corpus file get <c>stem-&lt;8 hex&gt;</c>, a hash of their full path: it depends on the
    /// path alone, so a name never changes when other inputs are added.</summary>
    public static IReadOnlyList<CorpusInput> Assign(IReadOnlyList<string> sources)
    {
        var stems = sources.Select(MediaSource.StemOf).ToList();
        var counts = stems.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var inputs = sources.Select((source, i) =>
        {
            string stem = stems[i];
            bool unique = counts[stem] == 1 && !CorpusFiles.IsReserved(stem);
            return new CorpusInput(unique ? stem : Suffixed(stem, source), source);
        }).ToList();
        var clash = inputs.GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash != null)
            throw new VideoFerException($"{clash.First().Source} and {clash.Skip(1).First().Source}: both would be named '{clash.Key}'; rename one of them");
        return inputs;
    }

    static string Suffixed(string stem, string source)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..8];
        return VideoFer.IO.SafeName.Of(stem.Length > 180 ? stem[..180] : stem) + "-" + hash;
    }
}

/// <summary>A file the command line's folders held that is no input, and why (summary.csv lists it as skipped).</summary>
public sealed record SkippedInput(
    [property: System.Text.Json.Serialization.JsonPropertyName("source")] string Source,
    [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string Reason);

/// <summary>What an input was when its results were made: a file's size and modification time, a frame folder's
/// picture count, total size and newest modification time. A rerun redoes an input whose fingerprint changed (a
/// picture overwritten by another under the same name), instead of keeping its old results.</summary>
public static class InputFingerprint
{
    public static string Of(string source)
    {
        try
        {
            if (File.Exists(source))
            {
                var f = new FileInfo(source);
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Length}:{f.LastWriteTimeUtc.Ticks}");
            }
            if (Directory.Exists(source))
            {
                var files = new DirectoryInfo(source).EnumerateFiles().Where(f => MediaSource.IsImagePath(f.Name)).ToList();
                return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{files.Count}:{files.Sum(f => f.Length)}:{(files.Count == 0 ? 0 : files.Max(f => f.LastWriteTimeUtc.Ticks))}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return "missing";
    }
}
