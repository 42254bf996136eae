using VideoFer.Models;
using VideoFer.Models.Weights;
using VideoFer.Training.Config;

namespace VideoFer.Training.Tests;

/// <summary>Bad datasets and checkpoints give one clear message before any training starts.</summary>
public class BadInputTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-bad-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    TrainConfig Config(params string[] overrides) =>
        TrainConfigLoader.Load(null, new[] { "arch=resnet18", "input_size=64", "base_size=72", "iterations=1" }.Concat(overrides));

    [Fact]
    public void DatasetPathThatDoesNotExist()
    {
        string missing = Path.Combine(dir, "nowhere");
        var e = Assert.Throws<VideoFerException>(() => Trainer.Create(Config($"affwild2={missing}"), Path.Combine(dir, "run")).Run());
        Assert.Equal($"{missing}: dataset path does not exist (key 'affwild2')", e.Message);
    }

    [Fact]
    public void EmptyTrainingSplit()
    {
        string root = Path.Combine(dir, "affwild2");
        Directory.CreateDirectory(Path.Combine(root, "annotations", "EXPR_Set", "Training_Set"));
        Directory.CreateDirectory(Path.Combine(root, "annotations", "EXPR_Set", "Validation_Set"));
        var e = Assert.Throws<VideoFerException>(() => Trainer.Create(Config($"affwild2={root}"), Path.Combine(dir, "run")).Run());
        Assert.Contains("the 'train' split is empty", e.Message);
    }

    [Fact]
    public void InitCheckpointOfAnotherArchitecture(/* a resnet50 frame model to start a resnet18 run */)
    {
        string ckpt = Path.Combine(dir, "r50.pth");
        using (var net = new FrameExpressionNet(new ExpressionNetConfig { Arch = "resnet50" }))
            Checkpoint.Save(ckpt, net);
        string root = Path.Combine(dir, "data");
        new VideoFer.Data.Synthetic.SyntheticDatasetWriter(new VideoFer.Data.Synthetic.SynthOptions { Videos = 2, FramesMin = 20, FramesMax = 24, Size = 64, AffectNetImages = 4 }).Write(root);
        var e = Assert.Throws<VideoFerException>(() =>
            Trainer.Create(Config($"affwild2={root}", "clip_length=4", $"init_checkpoint={ckpt}"), Path.Combine(dir, "run")).Run());
        Assert.Equal($"{ckpt}: is a checkpoint of resnet50 frame model, 7 classes, not of resnet18 (key 'init_checkpoint')", e.Message);
    }

    [Fact]
    public void ANewRunRefusesADirectoryThatHoldsOne()
    {
        string run = Path.Combine(dir, "run");
        Trainer.Create(Config("affwild2=/x"), run);
        var e = Assert.Throws<VideoFerException>(() => Trainer.Create(Config("affwild2=/x"), run));
        Assert.Contains("already holds a run; continue it with --resume", e.Message);
    }
}
