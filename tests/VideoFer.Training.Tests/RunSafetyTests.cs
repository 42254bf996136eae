using VideoFer.IO;
using VideoFer.Training.Config;
using VideoFer.Training.Runs;

namespace VideoFer.Training.Tests;

/// <summary>A run directory survives kills, failed starts and a second process (issue 12, defects 3, 5, 7, 8).</summary>
[Collection("synthetic")]
public class RunSafetyTests(SyntheticData data) : TempFolderTest
{
    TrainConfig Tiny(params string[] overrides) => data.Tiny(["iterations=4", "checkpoint_every=2", "eval_every=1", .. overrides]);

    static string Orphan(string target) => AtomicFile.TemporaryPathFor(target);

    [Fact]
    public void AKillWhileBestPthWasWrittenIsRepairedOnResume()
    {
        string path = Path.Combine(dir, "run");
        var outcome = Trainer.Create(Tiny(), path).Run();
        var run = new RunDirectory(path);
        long other = outcome.BestIteration == 2 ? 4 : 2;
        byte[] expected = File.ReadAllBytes(run.CheckpointFor(outcome.BestIteration));

        // Killed before the rename: best.pth missing, a half copy beside it.
        File.Delete(run.BestCheckpoint);
        string half = Orphan(run.BestCheckpoint);
        File.WriteAllBytes(half, expected[..1000]);
        Trainer.Resume(path).Run();
        Assert.Equal(expected, File.ReadAllBytes(run.BestCheckpoint));
        Assert.False(File.Exists(half));

        // Killed while replacing an older best: best.pth is another iteration's checkpoint.
        File.Copy(run.CheckpointFor(other), run.BestCheckpoint, overwrite: true);
        Trainer.Resume(path).Run();
        Assert.Equal(expected, File.ReadAllBytes(run.BestCheckpoint));
    }

    [Fact]
    public void TemporaryFilesOfAKilledRunAreRemovedByTheNextRunOfIt()
    {
        string path = Path.Combine(dir, "run");
        Trainer.Create(Tiny("iterations=2", "eval_every=0"), path).Run();
        var run = new RunDirectory(path);
        var orphans = new[] { Orphan(run.CheckpointFor(4)), Orphan(run.BestCheckpoint), Orphan(run.LossPlot) };
        foreach (var o in orphans) File.WriteAllText(o, "half");
        string lookalike = Path.Combine(run.CheckpointDir, ".iter-000000004.tmp-mine.pth"); // not VideoFer's shape
        File.WriteAllText(lookalike, "user's");

        Trainer.Resume(path, iterations: 4).Run();
        Assert.All(orphans, o => Assert.False(File.Exists(o), o));
        Assert.True(File.Exists(lookalike));
        Assert.Equal(4, run.Latest()!.Value.Iteration);
    }

    [Fact]
    public void AFailedStartLeavesNothingThatBlocksARetry()
    {
        string empty = Path.Combine(dir, "affwild2");
        Directory.CreateDirectory(Path.Combine(empty, "annotations", "EXPR_Set", "Training_Set"));
        Directory.CreateDirectory(Path.Combine(empty, "annotations", "EXPR_Set", "Validation_Set"));
        string path = Path.Combine(dir, "run");

        Assert.Throws<VideoFerException>(() => Trainer.Create(Tiny($"affwild2={empty}"), path).Run());
        Assert.False(Directory.Exists(path));
        var e = Assert.Throws<VideoFerException>(() => Trainer.Resume(path));
        Assert.Contains("not a VideoFer run directory", e.Message);

        // A folder the user made stays, empty of VideoFer's files but for its lock.
        Directory.CreateDirectory(path);
        Assert.Throws<VideoFerException>(() => Trainer.Create(Tiny($"affwild2={empty}"), path).Run());
        Assert.Equal([OutputFolder.LockName], Directory.GetFileSystemEntries(path).Select(Path.GetFileName));

        var outcome = Trainer.Create(Tiny("iterations=2", "eval_every=0"), path).Run();
        Assert.Equal(2, outcome.Iteration);
    }

    [Fact]
    public void ASecondProcessOnTheSameRunIsRefused()
    {
        string path = Path.Combine(dir, "run");
        var trainer = Trainer.Create(Tiny("iterations=2", "eval_every=0"), path);
        using (OutputFolder.Open(path, "train"))
        {
            var e = Assert.ThrowsAny<VideoFerException>(() => trainer.Run()); // a FolderBusyException
            Assert.Contains("another VideoFer run is writing to this folder right now", e.Message);
        }
        Assert.Equal(2, trainer.Run().Iteration);
    }

    [Fact]
    public void ANewRunRefusesAFolderWithOtherFilesAndLeavesThem()
    {
        string path = Path.Combine(dir, "run");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "log.csv"), "my own log");
        var e = Assert.Throws<VideoFerException>(() => Trainer.Create(Tiny(), path));
        Assert.StartsWith($"--out {path}: already exists and is not empty (log.csv)", e.Message);
        Assert.Equal("my own log", File.ReadAllText(Path.Combine(path, "log.csv")));
        Assert.Single(Directory.GetFileSystemEntries(path));
    }

    [Theory]
    [InlineData("lr=abc", "--set lr=abc: key 'lr': expected a number")]
    [InlineData("lr=-1", "--set lr=-1: key 'lr': expected a positive number")]
    public void ABadSetValueBlamesTheSetNotTheConfigFile(string set, string message)
    {
        string config = Path.Combine(dir, "c.yaml");
        File.WriteAllText(config, "lr: 0.1\nbatch_size: 2\n");
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(config, [set]));
        Assert.Equal(message, e.Message);
        File.WriteAllText(config, "lr: -2\n");
        e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(config, ["batch_size=2"]));
        Assert.Equal($"{config}: key 'lr': expected a positive number", e.Message);
    }
}
