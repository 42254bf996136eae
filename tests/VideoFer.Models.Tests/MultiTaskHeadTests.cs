using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The task heads' weights: the expression classifier keeps the paper network's names (older checkpoints load
/// unchanged), the VA and AU heads are their own modules, and a checkpoint records the tasks and AUs it was built for.</summary>
public sealed class MultiTaskHeadTests : TempFolderTest
{
    static ExpressionNetConfig Config(string tasks, params string[] aus) =>
        new() { Arch = "resnet18", LstmHidden = 16, FcHidden = 8, InputSize = 64, Tasks = tasks, ActionUnits = aus };

    [Fact]
    public void EachTaskHasItsOwnHeadAndTheExpressionOneKeepsItsNames()
    {
        using var paper = new ExpressionNet(Config("expr"));
        using var all = new ExpressionNet(Config("expr,va,au", "AU1", "AU12", "AU25"));
        using var vaOnly = new ExpressionNet(Config("va"));
        string[] Heads(ExpressionNet n) => n.state_dict().Keys.Where(k => !k.StartsWith("backbone.") && !k.StartsWith("temporal.")).Order().ToArray();
        Assert.Equal(["classifier.0.bias", "classifier.0.weight", "classifier.3.bias", "classifier.3.weight"], Heads(paper));
        Assert.Equal(["au_head.0.bias", "au_head.0.weight", "au_head.3.bias", "au_head.3.weight",
                      "classifier.0.bias", "classifier.0.weight", "classifier.3.bias", "classifier.3.weight",
                      "va_head.0.bias", "va_head.0.weight", "va_head.3.bias", "va_head.3.weight"], Heads(all));
        Assert.Equal(new long[] { 3, 8 }, all.state_dict()["au_head.3.weight"].shape);
        Assert.Equal(["va_head.0.bias", "va_head.0.weight", "va_head.3.bias", "va_head.3.weight"], Heads(vaOnly));
    }

    [Fact]
    public void ACheckpointRecordsItsTasksAndLoadsIntoTheSameHeads()
    {
        var config = Config("expr,va,au", "AU1", "AU12");
        using var net = new ExpressionNet(config);
        net.eval();
        string path = Path.Combine(dir, "mtl.pth");
        Checkpoint.Save(path, net);
        var info = Checkpoint.ReadInfo(path)!;
        Assert.Equal("expr,va,au", info.Config.Tasks);
        Assert.Equal(["AU1", "AU12"], info.Config.ActionUnits);
        var (loaded, _) = Checkpoint.LoadClip(path);
        using (loaded)
        {
            loaded.eval();
            using var x = randn([1, 8, 3, 64, 64]);
            using var _ = no_grad();
            Assert.Equal(0f, (net.forward(x) - loaded.forward(x)).abs().max().item<float>());
        }
    }

    [Fact]
    public void AuTasksNeedActionUnitsAndActionUnitsNeedTheAuTask()
    {
        Assert.Contains("tasks include au but no action units are named", Assert.Throws<VideoFerException>(() => Config("expr,au").Validate()).Message);
        Assert.Contains("do not include au", Assert.Throws<VideoFerException>(() => Config("expr", "AU1").Validate()).Message);
        Assert.Contains("unknown task 'pose'", Assert.Throws<VideoFerException>(() => Config("expr,pose").Validate()).Message);
    }
}
