namespace VideoFer.Cli.Tests;

/// <summary>`videofer predict Megamind.avi --json --track-files`, run once for the tests that look at its outputs
/// (<see cref="PredictCommandTests"/>, <see cref="ReportBrowserTests"/>): a predict of the whole clip costs
/// seconds of the suite each time.</summary>
public sealed class MegamindPrediction : IDisposable
{
    public const string Collection = "megamind";

    readonly string _dir = Directory.CreateTempSubdirectory("videofer-cli-megamind-").FullName;
    readonly Lazy<CliProcess.Result> _result;

    public MegamindPrediction() =>
        _result = new(() => CliProcess.Run("predict", TestMedia.Megamind, "--out", Out, "--json", "--track-files"));

    public string Out => Path.Combine(_dir, "out");

    /// <summary>The run, on first use (tests that do not need it do not pay for it).</summary>
    public CliProcess.Result Result => _result.Value;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

[CollectionDefinition(MegamindPrediction.Collection)]
public sealed class MegamindCollection : ICollectionFixture<MegamindPrediction> { }
