using VideoFer.Training.Config;

namespace VideoFer.Training.Tests;

public class ConfigTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("videofer-config-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DefaultsAreThePapers()
    {
        var c = TrainConfigLoader.Load(null, ["affwild2=/data"]);
        Assert.Equal(1e-4, c.LearningRate);
        Assert.Equal(0.9, c.Momentum);
        Assert.Equal(4, c.BatchSize);
        Assert.Equal(8, c.ClipLength);
        Assert.Equal(200_000, c.Iterations);
        Assert.Equal(1000, c.CheckpointEvery);
        Assert.Equal("resnet101-cbam", c.Arch);
        Assert.Equal(TrainStage.Clips, c.Stage);
    }

    [Fact]
    public void YamlAndJsonFilesWithOverrides()
    {
        string yaml = Path.Combine(dir, "c.yaml");
        File.WriteAllText(yaml, "stage: frames\naffectnet: /data/affectnet\nlr: 0.001\ncropped: [/a, /b]\n");
        var c = TrainConfigLoader.Load(yaml, ["lr=0.05", "batch_size=16"]);
        Assert.Equal(TrainStage.Frames, c.Stage);
        Assert.Equal(0.05, c.LearningRate);
        Assert.Equal(16, c.BatchSize);
        Assert.Equal(["/a", "/b"], c.Cropped);
        Assert.False(c.ChannelsLast); // the default (oneDNN crashes on some CPUs in channels-last)
        Assert.True(TrainConfigLoader.Load(yaml, ["channels_last=true"]).ChannelsLast);

        string json = Path.Combine(dir, "c.json");
        File.WriteAllText(json, TrainConfigLoader.ToJson(c));
        Assert.Equal(TrainConfigLoader.ToJson(c), TrainConfigLoader.ToJson(TrainConfigLoader.Load(json)));
    }

    [Theory]
    [InlineData("stage=video", "key 'stage': expected one of frames, clips")]
    [InlineData("classes=9", "key 'classes': 9 is not allowed; allowed: 7, 8")]
    [InlineData("arch=resnet77", "key 'arch': 'resnet77' is not allowed; allowed: resnet18, resnet18-cbam,")]
    [InlineData("lr=fast", "key 'lr': expected a number")]
    [InlineData("device=tpu", "key 'device': 'tpu' is not allowed; allowed: cpu, cuda, cuda:N, auto")]
    [InlineData("lrr=0.1", "unknown key 'lrr' (did you mean 'lr'?)")]
    [InlineData("momentum=1.5", "key 'momentum': expected a number in [0, 1)")]
    [InlineData("channels_last=maybe", "key 'channels_last': expected true or false")]
    public void ConfigErrorsNameTheKeyAndTheAllowedValues(string setting, string expected)
    {
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(null, ["affwild2=/data", setting]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void FileErrorsNameTheFile()
    {
        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, "{ \"lr\": 0.1,\n  \"batch_size\": }");
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(bad));
        Assert.StartsWith($"{bad}:2: not valid JSON", e.Message);

        string unknown = Path.Combine(dir, "unknown.yaml");
        File.WriteAllText(unknown, "affwild2: /x\nlearning_rate: 0.1\n");
        e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(unknown));
        Assert.StartsWith($"{unknown}: unknown key 'learning_rate'", e.Message);
    }

    [Fact]
    public void CosineScheduleDecaysFromLrToZeroOverTheIterations()
    {
        var c = TrainConfigLoader.Load(null, ["affwild2=/data", "lr=0.2", "iterations=100", "lr_schedule=cosine"]);
        Assert.Equal(0.2, c.LearningRateAt(1), 12);
        Assert.Equal(0.1, c.LearningRateAt(51), 12);
        Assert.True(c.LearningRateAt(100) < 1e-4);
        Assert.True(c.LearningRateAt(30) > c.LearningRateAt(31));
        var constant = TrainConfigLoader.Load(null, ["affwild2=/data", "lr=0.2"]);
        Assert.Equal(0.2, constant.LearningRateAt(12345));
    }

    [Fact]
    public void AStageWithoutItsDataIsRefused()
    {
        var e = Assert.Throws<VideoFerException>(() => TrainConfigLoader.Load(null, []));
        Assert.Contains("key 'affwild2': the clips stage needs an Aff-Wild2 root", e.Message);
    }
}
