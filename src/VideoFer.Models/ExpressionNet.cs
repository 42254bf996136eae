using TorchSharp;
using TorchSharp.Modules;
using VideoFer.Models.Backbones;
using VideoFer.Models.Heads;
using VideoFer.Models.Layers;
using VideoFer.Models.Weights;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VideoFer.Models;

#pragma warning disable IDE1006 // field names are the state_dict names

/// <summary>What the clip and the frame network have in common: a configuration, a ResNet backbone
/// and a kind. A base class rather than an interface, so that code holding one (the trainer,
/// checkpoints) can also call forward and reach its parameters without casting.</summary>
public abstract class ExpressionNetwork(string name) : Module<Tensor, Tensor>(name)
{
    public abstract ExpressionNetConfig Config { get; }

    /// <summary>The per-frame feature extractor; its weights are shared by name between the two kinds.</summary>
    public abstract ResNet Backbone { get; }

    public abstract ModelKind Kind { get; }

    /// <summary>A new, randomly initialised network of the given kind.</summary>
    public static ExpressionNetwork Create(ModelKind kind, ExpressionNetConfig config) =>
        kind == ModelKind.Clip ? new ExpressionNet(config) : new FrameExpressionNet(config);
}

/// <summary>The paper's clip network (§III): a ResNet(+CBAM) extracts per-frame features, a
/// bidirectional LSTM runs over the frames of the clip, and fully connected layers classify every
/// time step. Input (batch, time, 3, H, W); output (batch, time, outputs): the expression logits, and with
/// multi-task heads (ABAW's valence-arousal and action units, <see cref="ExpressionNetConfig.Tasks"/>) those
/// tasks' outputs beside them, laid out as <see cref="TaskOutputs"/> says.</summary>
public sealed class ExpressionNet : ExpressionNetwork
{
    private readonly ResNet backbone;
    private readonly BidirectionalLstm temporal;
    private readonly TaskHeads heads;

    public override ExpressionNetConfig Config { get; }
    public override ModelKind Kind => ModelKind.Clip;

    public ExpressionNet(ExpressionNetConfig config) : base(nameof(ExpressionNet))
    {
        Config = config.Validate();
        backbone = new ResNet(config.Backbone);
        temporal = new BidirectionalLstm(backbone.FeatureDim, config.LstmHidden, config.LstmLayers);
        heads = new TaskHeads(2L * config.LstmHidden, config);
        RegisterComponents();
        heads.RegisterOn(this);
    }

    public override ResNet Backbone => backbone;

    public override Tensor forward(Tensor clips)
    {
        if (clips.dim() != 5)
            throw new ArgumentException($"expected clips of shape (batch, time, 3, H, W), got ({string.Join(", ", clips.shape)})");
        long batch = clips.shape[0], time = clips.shape[1];
        using var scope = NewDisposeScope();
        var frames = clips.reshape(batch * time, clips.shape[2], clips.shape[3], clips.shape[4]);
        var features = backbone.forward(frames).reshape(batch, time, -1);
        return Classify(features).MoveToOuterDisposeScope();
    }

    /// <summary>The temporal and classification part alone: per-frame backbone features
    /// (batch, time, FeatureDim) -> outputs (batch, time, outputs). Lets inference compute the features
    /// of a zero-padding frame once instead of in every padded clip.</summary>
    public Tensor Classify(Tensor features)
    {
        using var scope = NewDisposeScope();
        return heads.Forward(temporal.forward(features)).MoveToOuterDisposeScope();
    }
}

/// <summary>Frame-only mode for pre-training on still images (AffectNet, RAF-DB): the same backbone
/// followed by FC layers, no LSTM. Its <c>backbone.*</c> weights load into <see cref="ExpressionNet"/>.
/// Input (batch, 3, H, W); output (batch, outputs), laid out as <see cref="TaskOutputs"/> says.</summary>
public sealed class FrameExpressionNet : ExpressionNetwork
{
    private readonly ResNet backbone;
    private readonly TaskHeads heads;

    public override ExpressionNetConfig Config { get; }
    public override ModelKind Kind => ModelKind.Frame;

    public FrameExpressionNet(ExpressionNetConfig config) : base(nameof(FrameExpressionNet))
    {
        Config = config.Validate();
        backbone = new ResNet(config.Backbone);
        heads = new TaskHeads(backbone.FeatureDim, config);
        RegisterComponents();
        heads.RegisterOn(this);
    }

    public override ResNet Backbone => backbone;

    public override Tensor forward(Tensor images)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"expected images of shape (batch, 3, H, W), got ({string.Join(", ", images.shape)})");
        using var features = backbone.forward(images);
        return heads.Forward(features);
    }
}
