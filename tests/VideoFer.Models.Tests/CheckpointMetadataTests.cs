using System.Collections;
using VideoFer.Models.Weights;
using static TorchSharp.torch;

namespace VideoFer.Models.Tests;

/// <summary>The "videofer" metadata of a checkpoint: what it must hold, and weights that cannot give
/// probabilities.</summary>
public class CheckpointMetadataTests : TempFolderTest
{
    static readonly ExpressionNetConfig Small = new() { Arch = "resnet18", InputSize = 64, LstmHidden = 8, FcHidden = 8 };

    /// <summary>Metadata that parses as JSON but describes no network ("{}" used to be a
    /// NullReferenceException) is one message naming the file.</summary>
    [Theory]
    [InlineData("{}", "VideoFer metadata lacks 'format'")]
    [InlineData("""{"format":"videofer-checkpoint/1","kind":"clip"}""", "VideoFer metadata lacks 'config'")]
    [InlineData("""{"format":"videofer-checkpoint/1","kind":"clip","config":{"arch":"resnet18","classes":9}}""", "VideoFer metadata holds an invalid config: classes = 9: expected 7 or 8.")]
    [InlineData("""{"format":"videofer-checkpoint/1","kind":"clip","config":{"arch":"resnet18","input_size":64},"preprocessing":{"input_size":64,"base_size":32}}""",
        "VideoFer metadata holds an invalid preprocessing: base_size 32 is smaller than input_size 64")]
    public void MetadataThatDescribesNoNetworkIsRefusedNamingTheFile(string metadata, string message)
    {
        string path = Path.Combine(dir, "meta.pth");
        using (var net = new ExpressionNet(Small))
            StateDictFile.WriteObject(path, new Hashtable { ["model"] = net.state_dict(), ["videofer"] = metadata });
        var e = Assert.Throws<VideoFerException>(() => Checkpoint.Load(path));
        Assert.StartsWith($"{path}: {message}", e.Message);
        e = Assert.Throws<VideoFerException>(() => Checkpoint.ReadInfo(path));
        Assert.StartsWith($"{path}: {message}", e.Message);
    }

    /// <summary>NaN weights make every probability NaN, which an argmax labels Neutral; such a
    /// checkpoint is refused, naming the file and the tensor.</summary>
    [Fact]
    public void NaNWeightsAreRefusedNamingTheCheckpointAndTheTensor()
    {
        string path = Path.Combine(dir, "nan.pth");
        using (var net = new ExpressionNet(Small))
        {
            using (no_grad())
                net.state_dict()["classifier.0.weight"][0, 0] = float.NaN;
            Checkpoint.Save(path, net);
        }
        var e = Assert.Throws<VideoFerException>(() => Checkpoint.Load(path));
        Assert.Equal($"{path}: weight 'classifier.0.weight' holds NaN or infinite values (a diverged training?); it cannot give probabilities", e.Message);
        Assert.NotNull(Checkpoint.ReadInfo(path)); // its metadata stays readable (model inspect)
    }

    /// <summary>The preprocessing is stored: a given one round-trips; without one, what an untrained
    /// network of the config is fed (resize max(256, input)).</summary>
    [Fact]
    public void PreprocessingIsStoredWithTheWeights()
    {
        string path = Path.Combine(dir, "p.pth");
        using var net = new ExpressionNet(Small with { ClipLength = 5 });
        Checkpoint.Save(path, net);
        var stored = Checkpoint.ReadInfo(path)!.Preprocessing!;
        Assert.Equal((64, 256, 5, FaceCropKind.AlignedCenter), (stored.InputSize, stored.BaseSize, stored.ClipLength, stored.Crop));
        Assert.Equal(Preprocessing.ImageNetMean, stored.Mean);

        var custom = new Preprocessing { InputSize = 64, BaseSize = 80, ClipLength = 5, Mean = [0.5f, 0.5f, 0.5f], Std = [0.25f, 0.25f, 0.25f] };
        Checkpoint.Save(path, net, preprocessing: custom);
        stored = Checkpoint.ReadInfo(path)!.Preprocessing!;
        Assert.Equal((64, 80, 5), (stored.InputSize, stored.BaseSize, stored.ClipLength));
        Assert.Equal(custom.Mean, stored.Mean);
        Assert.Equal(custom.Std, stored.Std);
    }
}
