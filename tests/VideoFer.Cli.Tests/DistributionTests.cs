using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace VideoFer.Cli.Tests;

/// <summary>What the class's tests share, made once: a folder outside the repository, and the repository CLI's
/// predictions.csv of Megamind.avi that the packages and the release must reproduce.</summary>
public sealed class DistributionFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("videofer-distribution-").FullName;

    readonly Lazy<string> _cliCsv;

    public DistributionFixture()
    {
        _cliCsv = new(() =>
        {
            string outDir = Path.Combine(Root, "cli");
            var r = CliProcess.Run("predict", TestMedia.Megamind, "--out", outDir, "--no-video", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            return File.ReadAllText(Path.Combine(outDir, "predictions.csv"));
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>`videofer predict Megamind.avi` of the CLI built in this repository.</summary>
    public string CliCsv => _cliCsv.Value;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>VideoFer as a user gets it without the repository: the NuGet packages in a new console project, and
/// the CLI release tarball. Both run on Megamind.avi and must give the repository CLI's results.</summary>
[Trait("Category", "Slow")]
public class DistributionTests(DistributionFixture shared, ITestOutputHelper log) : IClassFixture<DistributionFixture>
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Every package packed into a folder feed; a new console project (dotnet new, dotnet add package, as
    /// the README says) that knows only that feed and nuget.org, with an empty NuGet packages folder, runs the
    /// README's "Use as a library" example, whose per-frame lines must equal the CLI's CSV without the box columns.</summary>
    [Fact]
    public void TheReadmeLibraryExampleOnThePackedPackagesGivesTheCliResults()
    {
        var clock = Stopwatch.StartNew();
        string feed = Path.Combine(shared.Root, "feed"), app = Path.Combine(shared.Root, "MyApp"), nuget = Path.Combine(shared.Root, "nuget-packages");
        Run("dotnet", ["pack", Path.Combine(Repo.Root, "VideoFer.slnx"), "-c", "Release", "--no-build", "-o", feed, "-nologo"], Repo.Root);
        var packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order().ToList();
        log.WriteLine($"packed in {clock.Elapsed.TotalSeconds:0} s: " + string.Join(", ",
            Directory.GetFiles(feed).Order().Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / 1024.0:0} KB")));
        foreach (var id in new[] { "Core", "Models", "Models.Data", "Vision", "Data", "Training", "Inference" })
        {
            Assert.Contains($"VideoFer.{id}.0.1.0.nupkg", packages);
            Assert.True(File.Exists(Path.Combine(feed, $"VideoFer.{id}.0.1.0.snupkg")), $"VideoFer.{id}: no symbol package");
        }

        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="videofer" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        var env = ConsumerEnvironment(nuget);
        Run("dotnet", ["new", "console", "--force", "-o", app], app, env);
        Run("dotnet", ["add", "package", "VideoFer.Inference", "--version", "0.1.0"], app, env);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeLibraryExample());
        Run("dotnet", ["build", "-c", "Release", "-nologo"], app, env);
        log.WriteLine($"restored and built in {clock.Elapsed.TotalSeconds:0} s");
        string bin = Path.Combine(app, "bin", "Release", "net10.0");
        Assert.Equal(["emotion.bin", "emotion.json", "face_detection_full_range.tflite", "face_detection_short_range.tflite",
                      "face_expression_model-weights_manifest.json", "face_expression_model.bin", "faceres.bin", "faceres.json"],
            Directory.GetFiles(Path.Combine(bin, "videofer-models")).Select(Path.GetFileName).Order());
        Assert.True(ElfVersionNeedIsWeak(Path.Combine(bin, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")));
        // The packages NuGet installed into the empty folder are the feed's, byte for byte.
        foreach (var id in new[] { "videofer.inference", "videofer.models", "videofer.models.data" })
            Assert.Equal(File.ReadAllBytes(Directory.GetFiles(feed, $"{id}.0.1.0.nupkg", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive }).Single()),
                         File.ReadAllBytes(Path.Combine(nuget, id, "0.1.0", $"{id}.0.1.0.nupkg")));

        var example = Run("dotnet", ["run", "-c", "Release", "--no-build", "--", TestMedia.Megamind], app, env);
        log.WriteLine($"example done at {clock.Elapsed.TotalSeconds:0} s; stderr tail: {example.StdErr[^Math.Min(300, example.StdErr.Length)..]}");
        var expected = shared.CliCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(',')).Select(f => string.Join(',', f[..4].Concat(f[9..]))).ToList(); // frame,time,track,person; no box
        var actual = example.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.True(expected.Count > 300, $"{expected.Count} CSV lines"); // Megamind: 366 faces in 270 frames
        Assert.Equal(expected, actual);
        Assert.Matches(new Regex(@"track 1: frames \d+-\d+, mostly \w+"), example.StdErr);
        Assert.Matches(new Regex(@"person 3: tracks \d+(, \d+)*, [\d.]+ s on screen"), example.StdErr);
    }

    /// <summary>scripts/release.sh's tarball, unpacked outside the repository and run from there with an environment
    /// holding nothing of the repository or of .NET (no VIDEOFER_MODELS, no DOTNET_ROOT, a PATH of /usr/bin:/bin),
    /// writes the repository CLI's predictions.csv byte for byte.</summary>
    [Fact]
    public void TheCliReleaseTarballRunsAloneAndGivesTheSameCsv()
    {
        var clock = Stopwatch.StartNew();
        string releases = Path.Combine(shared.Root, "release"), unpacked = Path.Combine(shared.Root, "unpacked"), outDir = Path.Combine(shared.Root, "release-out");
        var built = Run("bash", [Path.Combine(Repo.Root, "scripts", "release.sh"), "--only", "tarball", releases], Repo.Root);
        string tarball = built.StdOut.Trim().Split('\n')[^1];
        Assert.Equal(Path.Combine(releases, "videofer-0.1.0-linux-x64.tar.gz"), tarball);
        log.WriteLine($"release built in {clock.Elapsed.TotalSeconds:0} s: {new FileInfo(tarball).Length / 1e6:0.0} MB");
        Directory.CreateDirectory(unpacked);
        Run("tar", ["-xzf", tarball, "-C", unpacked], unpacked);
        File.Delete(tarball);
        string top = Path.Combine(unpacked, "videofer-0.1.0-linux-x64");
        Assert.True(File.Exists(Path.Combine(top, "LICENSE")) && File.Exists(Path.Combine(top, "THIRD-PARTY-NOTICES")));

        string video = Path.Combine(shared.Root, "Megamind.avi"); // nothing read from the repository
        File.Copy(TestMedia.Megamind, video, overwrite: true);
        var clean = new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = shared.Root, ["LANG"] = "C.UTF-8", ["NO_COLOR"] = "1" };
        // The thread count of the repository CLI's run it is compared with (scripts/test.sh runs tests at one), not a setting of the repository.
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is string threads) clean["OMP_NUM_THREADS"] = threads;
        var r = Run(Path.Combine(top, "videofer"), ["predict", video, "--out", outDir, "--no-video", "--json"], shared.Root, clean, inherit: false);
        log.WriteLine($"release predict done at {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains("\"frames\":270", r.StdOut);
        Assert.Equal(shared.CliCsv, File.ReadAllText(Path.Combine(outDir, "predictions.csv")));
    }

    /// <summary>The first csharp block under the README's "Use as a library" heading.</summary>
    static string ReadmeLibraryExample()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        int section = readme.IndexOf("\n## Use as a library", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"Use as a library\" section");
        var block = Regex.Match(readme[section..], "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "no csharp block in README's \"Use as a library\"");
        return block.Groups[1].Value;
    }

    /// <summary>What a developer's shell has, less anything that would let the build see this repository or its
    /// build: the test host's MSBuild and .NET variables, VIDEOFER_MODELS, and the usual NuGet packages folder.</summary>
    static Dictionary<string, string?> ConsumerEnvironment(string nugetPackages)
    {
        var env = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = nugetPackages, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name is "DOTNET_HOST_PATH" or "VIDEOFER_MODELS" or "GOMP_SPINCOUNT")
                env[name] = null;
        return env;
    }

    static bool ElfVersionNeedIsWeak(string library)
    {
        var r = Run("readelf", ["-V", "-W", library], Path.GetDirectoryName(library)!);
        return r.StdOut.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32 ")).Contains("Flags: WEAK");
    }

    static CliProcess.Result Run(string file, string[] args, string cwd, IReadOnlyDictionary<string, string?>? env = null, bool inherit = true)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (!inherit) psi.Environment.Clear();
        foreach (var (name, value) in env ?? new Dictionary<string, string?>())
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {Limit.TotalMinutes} minutes");
        }
        var result = new CliProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', args)}\n{result}");
        return result;
    }
}
