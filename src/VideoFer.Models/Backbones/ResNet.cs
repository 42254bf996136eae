using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Models.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VideoFer.Models.Backbones;

#pragma warning disable IDE1006 // field names are the torchvision state_dict names

/// <summary>A residual block: the residual branch (with optional CBAM after its last BN), plus the
/// shortcut. Parameter names follow torchvision (conv1, bn1, ..., downsample.0/1).</summary>
public abstract class ResidualBlock : Module<Tensor, Tensor>
{
    protected ResidualBlock(string name) : base(name) { }

    /// <summary>Channels this block outputs.</summary>
    public abstract long OutChannels { get; }
}

/// <summary>torchvision's BasicBlock (two 3x3 convolutions), used by ResNet-18/34.</summary>
public sealed class BasicBlock : ResidualBlock
{
    public const int Expansion = 1;
    private readonly Conv2d conv1, conv2;
    private readonly Layers.BatchNorm2d bn1, bn2;
    private readonly ReLU relu;
    private readonly Cbam? cbam;
    private readonly Sequential? downsample;
    private readonly long outChannels;

    public BasicBlock(long inPlanes, long planes, long stride, Sequential? downsample, bool useCbam) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = new Layers.BatchNorm2d(planes);
        relu = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = new Layers.BatchNorm2d(planes);
        cbam = useCbam ? new Cbam(planes) : null;
        this.downsample = downsample;
        outChannels = planes;
        RegisterComponents();
    }

    public override long OutChannels => outChannels;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        if (cbam is not null) y = cbam.forward(y);
        var identity = downsample is null ? x : downsample.forward(x);
        return relu.forward(y.add_(identity, Scalars.One)).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's Bottleneck (1x1, 3x3 with the stride, 1x1 expanding by 4), used by ResNet-50/101/152.</summary>
public sealed class Bottleneck : ResidualBlock
{
    public const int Expansion = 4;
    private readonly Conv2d conv1, conv2, conv3;
    private readonly Layers.BatchNorm2d bn1, bn2, bn3;
    private readonly ReLU relu;
    private readonly Cbam? cbam;
    private readonly Sequential? downsample;
    private readonly long outChannels;

    public Bottleneck(long inPlanes, long planes, long stride, Sequential? downsample, bool useCbam) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, 1, bias: false);
        bn1 = new Layers.BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = new Layers.BatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = new Layers.BatchNorm2d(planes * Expansion);
        relu = ReLU(inplace: true);
        cbam = useCbam ? new Cbam(planes * Expansion) : null;
        this.downsample = downsample;
        outChannels = planes * Expansion;
        RegisterComponents();
    }

    public override long OutChannels => outChannels;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = relu.forward(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        if (cbam is not null) y = cbam.forward(y);
        var identity = downsample is null ? x : downsample.forward(x);
        return relu.forward(y.add_(identity, Scalars.One)).MoveToOuterDisposeScope();
    }
}

/// <summary>ResNet (He et al., 2016) with torchvision's layout and parameter names, optionally with CBAM
/// in every residual block. Global average pooling makes any input of at least 64x64 work.
/// With <c>numClasses == 0</c> there is no <c>fc</c> and <see cref="Module{T,TResult}.forward"/> returns
/// the pooled features (batch, <see cref="FeatureDim"/>).</summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Layers.BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear? fc;

    /// <summary>Width of the pooled feature vector (512 for BasicBlock nets, 2048 for Bottleneck nets).</summary>
    public long FeatureDim { get; }

    public ResNetSpec Spec { get; }

    /// <summary>Convert inputs to channels-last memory before the stem (set by
    /// <see cref="Inference.InferenceOptimizer"/> together with channels-last weights).</summary>
    public bool ChannelsLastInput { get; set; }

    public ResNet(ResNetSpec spec, long numClasses = 0) : base("ResNet")
    {
        Spec = spec;
        long inPlanes = 64;
        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = new Layers.BatchNorm2d(64);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeStage(spec, ref inPlanes, 64, spec.Layers[0], 1);
        layer2 = MakeStage(spec, ref inPlanes, 128, spec.Layers[1], 2);
        layer3 = MakeStage(spec, ref inPlanes, 256, spec.Layers[2], 2);
        layer4 = MakeStage(spec, ref inPlanes, 512, spec.Layers[3], 2);
        avgpool = AdaptiveAvgPool2d(1);
        FeatureDim = inPlanes;
        fc = numClasses > 0 ? Linear(inPlanes, numClasses) : null;
        RegisterComponents();
        InitializeWeights();
    }

    /// <summary>The four residual stages, in order (for summaries and freezing).</summary>
    public IReadOnlyList<(string Name, Module Stage)> Stages =>
        [("layer1", layer1), ("layer2", layer2), ("layer3", layer3), ("layer4", layer4)];

    private static Sequential MakeStage(ResNetSpec spec, ref long inPlanes, long planes, int blocks, long stride)
    {
        long expansion = spec.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        Sequential? downsample = null;
        if (stride != 1 || inPlanes != planes * expansion)
            downsample = Sequential(
                Conv2d(inPlanes, planes * expansion, 1, stride: stride, bias: false),
                new Layers.BatchNorm2d(planes * expansion));
        var list = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < blocks; i++)
        {
            ResidualBlock block = spec.Bottleneck
                ? new Bottleneck(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, spec.Cbam)
                : new BasicBlock(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, spec.Cbam);
            list.Add(block);
            inPlanes = planes * expansion;
        }
        return Sequential(list);
    }

    // torchvision's initialisation: Kaiming-normal (fan_out) convolutions, BN weight 1 and bias 0.
    private void InitializeWeights()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv when conv.weight is not null:
                    init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case Layers.BatchNorm2d bn:
                    init.ones_(bn.Weight);
                    init.zeros_(bn.Bias);
                    break;
            }
        }
    }

    /// <summary>Pooled features (batch, FeatureDim), without the fc layer.</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (ChannelsLastInput && !Inference.InferenceOptimizer.IsChannelsLast(x))
            x = Inference.InferenceOptimizer.ToChannelsLast(x);
        var y = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(y))));
        return avgpool.forward(y).flatten(1).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        if (fc is null) return Features(x);
        using var features = Features(x);
        return fc.forward(features);
    }
}
