using System.Text.Json.Serialization;
using VideoFer.Models;
using VideoFer.Models.Weights;

namespace VideoFer.Training.Config;

/// <summary>What a training stage trains on: still images for pre-training the backbone
/// (frame-only model) or Aff-Wild2 clips for the paper's clip model.</summary>
public enum TrainStage { Frames, Clips }

/// <summary>The optimiser: the paper's SGD with momentum, or Adam for short from-scratch budgets.</summary>
public enum OptimizerKind { Sgd, Adam }

/// <summary>The loss of the valence-arousal head: 1 - CCC (the challenge's measure) or mean squared error.</summary>
public enum VaLoss { Ccc, Mse }

/// <summary>Which validation figure picks best.pth: the expression's S (or 2022's F1), the VA mean CCC, the AU
/// score, their sum (the 2022 multi-task score), or, with auto, the only task trained or else the sum.</summary>
public enum SelectBy { Auto, Expr, Va, Au, Mtl }

/// <summary>Learning rate over the run: constant (the paper) or a cosine decay from lr to 0 over <c>iterations</c>.</summary>
public enum LrSchedule { Constant, Cosine }

/// <summary>Everything a training run needs. Defaults are the paper's (§IV-C): SGD with learning rate
/// 1e-4 and momentum 0.9, cross-entropy, batches of 4 clips of 8 frames, up to 200,000 iterations,
/// a checkpoint every 1,000. Keys are snake_case in config files and in <c>--set key=value</c>.</summary>
public sealed record TrainConfig
{
    // --- what to train --------------------------------------------------------------------------
    [JsonPropertyName("stage")] public TrainStage Stage { get; init; } = TrainStage.Clips;
    [JsonPropertyName("arch")] public string Arch { get; init; } = "resnet101-cbam";
    [JsonPropertyName("classes")] public int Classes { get; init; } = 7;
    [JsonPropertyName("lstm_hidden")] public int LstmHidden { get; init; } = 512;
    [JsonPropertyName("lstm_layers")] public int LstmLayers { get; init; } = 1;
    [JsonPropertyName("fc_hidden")] public int FcHidden { get; init; } = 256;
    [JsonPropertyName("dropout")] public double Dropout { get; init; } = 0.5;
    [JsonPropertyName("clip_length")] public int ClipLength { get; init; } = 8;
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 224;
    [JsonPropertyName("base_size")] public int BaseSize { get; init; } = 256;

    // --- tasks (ABAW: expressions, valence-arousal, action units) -------------------------------------
    /// <summary>The heads trained: "expr" (the paper), or any subset of "expr,va,au" (clips stage; the data must
    /// have annotations of every task named). Each task's loss is masked where a frame has no label for it.</summary>
    [JsonPropertyName("tasks")] public string Tasks { get; init; } = "expr";
    [JsonPropertyName("va_loss")] public VaLoss VaLoss { get; init; } = VaLoss.Ccc;
    /// <summary>Weights of the tasks' losses in their sum.</summary>
    [JsonPropertyName("expr_weight")] public double ExpressionWeight { get; init; } = 1;
    [JsonPropertyName("va_weight")] public double VaWeight { get; init; } = 1;
    [JsonPropertyName("au_weight")] public double AuWeight { get; init; } = 1;
    /// <summary>Weigh each AU's positive frames by negatives / positives of the training data (auto) or not (false).</summary>
    [JsonPropertyName("au_pos_weight")] public bool AuPositiveWeight { get; init; } = true;
    [JsonPropertyName("select_by")] public SelectBy SelectBy { get; init; } = SelectBy.Auto;

    // --- data ------------------------------------------------------------------------------------
    /// <summary>Aff-Wild2 root (any edition): the clips stage's data; in the frames stage its frames are
    /// used as still images (and its validation split scored per frame).</summary>
    [JsonPropertyName("affwild2")] public string? AffWild2 { get; init; }
    /// <summary>cropped_aligned roots; empty = look under the Aff-Wild2 root.</summary>
    [JsonPropertyName("cropped")] public IReadOnlyList<string> Cropped { get; init; } = [];
    /// <summary>AffectNet root (either release); frames stage.</summary>
    [JsonPropertyName("affectnet")] public string? AffectNet { get; init; }
    /// <summary>RAF-DB root (basic); frames stage.</summary>
    [JsonPropertyName("rafdb")] public string? RafDb { get; init; }
    [JsonPropertyName("train_split")] public string TrainSplit { get; init; } = "train";
    [JsonPropertyName("val_split")] public string ValSplit { get; init; } = "validation";

    // --- optimisation ------------------------------------------------------------------------------
    [JsonPropertyName("optimizer")] public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    [JsonPropertyName("lr")] public double LearningRate { get; init; } = 1e-4;
    [JsonPropertyName("lr_schedule")] public LrSchedule LrSchedule { get; init; } = LrSchedule.Constant;
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = 0.9;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0;
    /// <summary>Clips per batch (clips stage) or images per batch (frames stage).</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 4;
    [JsonPropertyName("iterations")] public int Iterations { get; init; } = 200_000;
    /// <summary>Stop after this many minutes of training (0 = no limit): a last checkpoint is written
    /// and validated, as at the end of the iterations. For fixed-budget comparisons.</summary>
    [JsonPropertyName("max_minutes")] public double MaxMinutes { get; init; } = 0;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 0;
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    [JsonPropertyName("threads")] public int Threads { get; init; } = 0;
    /// <summary>Feed the backbone channels-last (NHWC) batches: libtorch's CPU convolutions ran a few
    /// percent faster that way on an AVX2 EPYC (docs/PERFORMANCE.md); the weights and checkpoints keep
    /// PyTorch's layout. Off by default: oneDNN 3.7.1 crashes (SIGFPE) on ResNet-50/101's 1x1
    /// convolutions in channels-last on AMD Zen 5 virtual machines (see InferenceOptions.ChannelsLast).</summary>
    [JsonPropertyName("channels_last")] public bool ChannelsLast { get; init; }
    /// <summary>Check the libtorch kernels this run needs against float64 before training (KernelSelfCheck, under a
    /// second) and refuse a CPU that computes one wrong; false trains anyway.</summary>
    [JsonPropertyName("kernel_check")] public bool KernelCheck { get; init; } = true;

    // --- checkpoints and validation --------------------------------------------------------------------
    [JsonPropertyName("checkpoint_every")] public int CheckpointEvery { get; init; } = 1000;
    /// <summary>Validate every k-th checkpoint (0 = never during training).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 1;
    /// <summary>Validate on at most this many videos (0 = all), for quick feedback on huge splits.</summary>
    [JsonPropertyName("eval_max_videos")] public int EvalMaxVideos { get; init; } = 0;
    /// <summary>Keep the newest k periodic checkpoints (0 = keep all); best.pth is always kept.</summary>
    [JsonPropertyName("keep_checkpoints")] public int KeepCheckpoints { get; init; } = 0;

    // --- initialisation ----------------------------------------------------------------------------------
    /// <summary>A torchvision/PyTorch ResNet state_dict (e.g. ImageNet) for the backbone.</summary>
    [JsonPropertyName("init_backbone")] public string? InitBackbone { get; init; }
    /// <summary>A VideoFer checkpoint (e.g. the frames stage's best.pth) whose backbone starts this run.</summary>
    [JsonPropertyName("init_checkpoint")] public string? InitCheckpoint { get; init; }

    // --- data loading ------------------------------------------------------------------------------------
    [JsonPropertyName("workers")] public int Workers { get; init; } = 2;
    [JsonPropertyName("prefetch")] public int Prefetch { get; init; } = 4;

    /// <summary>The learning rate of iteration <paramref name="iteration"/> (1-based): a function of the
    /// iteration alone, so a resumed run follows the same schedule.</summary>
    public double LearningRateAt(long iteration) => LrSchedule switch
    {
        LrSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (iteration - 1) / (double)Iterations))),
        _ => LearningRate,
    };

    /// <summary>The network this config trains: the clip model, or the frame model for pre-training.</summary>
    [JsonIgnore] public ModelKind Kind => Stage == TrainStage.Clips ? ModelKind.Clip : ModelKind.Frame;

    /// <summary>What the network is fed in validation, stored in every checkpoint so that eval and
    /// predict feed it the same.</summary>
    public Preprocessing ToPreprocessing() => Preprocessing.For(NetConfig(), Kind, BaseSize);

    [JsonIgnore] public Datasets.AbawTasks TaskSet => Datasets.AbawTaskNames.Parse(Tasks);

    /// <param name="actionUnits">The AU head's action units (the data's, in its order); needed when tasks include au.</param>
    public ExpressionNetConfig NetConfig(IReadOnlyList<string>? actionUnits = null) => new()
    {
        Arch = Arch, Classes = Classes, LstmHidden = LstmHidden, LstmLayers = LstmLayers,
        FcHidden = FcHidden, Dropout = Dropout, ClipLength = ClipLength, InputSize = InputSize,
        Tasks = Datasets.AbawTaskNames.Name(TaskSet),
        ActionUnits = TaskSet.HasFlag(Datasets.AbawTasks.ActionUnits) ? actionUnits ?? [] : [],
    };
}
