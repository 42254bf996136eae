using System.Diagnostics;
using Xunit.Abstractions;

namespace VideoFer.Cli.Tests;

/// <summary>The corpus run against one `videofer predict` per input on the same 12 inputs (10 real video
/// clips, a picture, a folder of frames), default settings: the corpus loads the model and detector
/// once and overlaps one input's outputs with the next input's decoding and classification, so per
/// frame it must not be slower. The figures go to docs/PERFORMANCE.md (section 6). A timing comparison, so a benchmark
/// (trait Benchmark, outside the suite: benchmarks/test-benchmarks.sh runs it).</summary>
[Trait("Category", "Benchmark")]
public class CorpusThroughputTests(ITestOutputHelper output) : TempFolderTest
{
    [Fact]
    public void ACorpusRunIsNotSlowerPerFrameThanOnePredictPerInput()
    {
        string corpus = CorpusMedia.Build(Path.Combine(dir, "corpus"), clips: 10, frames: 48);
        var inputs = Directory.GetFiles(corpus, "*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Append(Path.Combine(corpus, "frames", "session1")).Append(TestMedia.Messi).ToList();
        Assert.Equal(12, inputs.Count);

        var clock = Stopwatch.StartNew();
        var r = CliProcess.Run(["predict", corpus, TestMedia.Messi, "--out", Path.Combine(dir, "corpus-out"), "--quiet"]);
        double corpusSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(r.ExitCode == 0, r.ToString());
        var summary = File.ReadAllLines(Path.Combine(dir, "corpus-out", "summary.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(12, summary.Count);
        int frames = summary.Sum(f => int.Parse(f[3]));

        clock.Restart();
        for (int i = 0; i < inputs.Count; i++)
        {
            var one = CliProcess.Run("predict", inputs[i], "--out", Path.Combine(dir, $"one-{i}"), "--json");
            Assert.True(one.ExitCode == 0, one.ToString());
        }
        double perInputSeconds = clock.Elapsed.TotalSeconds;

        output.WriteLine($"{inputs.Count} inputs, {frames} frames");
        output.WriteLine($"corpus run:          {corpusSeconds:0.0} s, {frames / corpusSeconds:0.0} frames/s");
        output.WriteLine($"one predict each:    {perInputSeconds:0.0} s, {frames / perInputSeconds:0.0} frames/s");
        output.WriteLine($"corpus / one each:   {perInputSeconds / corpusSeconds:0.00}x");
        // Same outputs either way: each input's folder of the corpus equals its own predict's.
        for (int i = 0; i < inputs.Count; i++)
        {
            string name = summary.Single(f => f[1] == inputs[i])[0];
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, $"one-{i}", "predictions.csv")), File.ReadAllBytes(Path.Combine(dir, "corpus-out", name, "predictions.csv")));
        }
        Assert.True(corpusSeconds <= perInputSeconds, $"corpus {corpusSeconds:0.0} s, one predict per input {perInputSeconds:0.0} s");
    }
}
