using System.Text.Json.Serialization;
using TorchSharp;
using VideoFer.Models.Backbones;
using VideoFer.Models.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VideoFer.Models.Runtime;

/// <summary>Which work needs a kernel: the self-check's verdict on a kernel matters only to that work.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KernelUse>))]
public enum KernelUse
{
    /// <summary>Every ResNet backbone (training, and prediction with a checkpoint).</summary>
    Backbone,
    /// <summary>Backbones with CBAM (the paper's network).</summary>
    Cbam,
    /// <summary>The clip model's bidirectional LSTM (training and prediction of clips).</summary>
    Clips,
    /// <summary>Only with channels_last (training) or the channels-last inference rewrite.</summary>
    ChannelsLast,
    /// <summary>The TF.js models (default expression model, face embedding): their grouped convolutions.</summary>
    TfJsModels,
    /// <summary>A raw libtorch kernel VideoFer does not call, because it was found wrong on some CPU; checked so
    /// that <c>videofer info</c> shows why the workaround exists and where it is needed.</summary>
    Avoided,
}

/// <summary>One kernel (or one VideoFer layer made of several), computed in float32 and in float64 on the same
/// inputs and weights. <see cref="Compute"/> returns its named results for one precision: the output and, where
/// it trains, the input gradient and the parameters' gradients.</summary>
public sealed record KernelCheck(string Name, KernelUse Use, string IfWrong, Func<ScalarType, int, IReadOnlyList<(string Part, Tensor Value)>> Compute);

/// <summary>The self-check's finding on one kernel. <see cref="Error"/> is the largest error of any part against
/// float64, relative to the largest float64 magnitude of that part (NaN when a float32 value was not finite).</summary>
public sealed record KernelVerdict(
    string Kernel, KernelUse Use, bool Right, double Error, string WorstPart, int Threads,
    [property: JsonIgnore] string IfWrong)
{
    /// <summary>"right", "WRONG", or for a kernel VideoFer avoids "wrong (avoided)" / "right (avoided anyway)".</summary>
    public string Verdict => (Right, Use) switch
    {
        (true, KernelUse.Avoided) => "right (avoided anyway)",
        (false, KernelUse.Avoided) => "wrong (VideoFer avoids it)",
        (true, _) => "right",
        (false, _) => "WRONG",
    };

    /// <summary>One line: the kernel, how far off, at how many threads.</summary>
    public string Describe() => $"{Kernel}: {Verdict}, {WorstPart} " +
        (double.IsFinite(Error) ? $"off by {Error:0.##E+0} (relative) against float64" : "not finite where float64 is") +
        $" at {Threads} thread{(Threads == 1 ? "" : "s")}";
}

/// <summary>A known-answer check of the libtorch kernels VideoFer relies on, on the CPU at hand: each kernel runs
/// in float32 at the current thread count and in float64 (libtorch's reference paths, no oneDNN) on the same
/// deterministic inputs, forward and backward, and must agree to <see cref="Tolerance"/>. libtorch 2.10 computes
/// some kernels wrong on some CPUs (float32 LSTM and grouped channels-last convolutions on AMD Zen 5, the
/// convolution input gradient with fewer than 16 output channels there: docs/PERFORMANCE.md); this is how a user
/// on a new CPU learns it in one command instead of from NaN losses. It takes well under a second.</summary>
public static class KernelSelfCheck
{
    /// <summary>Relative error allowed: float32 rounding gives 1e-7 to 1e-5 on these sizes; the faults met so
    /// far were off by 0.06 to 2, or not finite.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>Each check runs on this many different inputs: a wrong kernel may read uninitialised memory
    /// and be right by chance once.</summary>
    public const int Repeats = 3;

    /// <summary>Every check, in the order <c>videofer info</c> prints them.</summary>
    public static IReadOnlyList<KernelCheck> All { get; } =
    [
        Conv("conv2d 3x3, 64 -> 64 (ResNet block)", 2, 64, 64, 3, 1, 12, 1, false, KernelUse.Backbone),
        Conv("conv2d 1x1 stride 2, 64 -> 128 (ResNet shortcut)", 2, 64, 128, 1, 2, 12, 1, false, KernelUse.Backbone),
        Conv("conv2d 7x7 stride 2, 3 -> 64 (ResNet stem)", 2, 3, 64, 7, 2, 32, 1, false, KernelUse.Backbone),
        Module("batch norm (training)", KernelUse.Backbone, () => new BatchNorm2d(32), [4, 32, 8, 8]),
        Function("max pool 3x3 stride 2", KernelUse.Backbone, x => F.max_pool2d(x, [3L, 3L], [2L, 2L], [1L, 1L]), [2, 16, 12, 12]),
        Module("linear (fully connected)", KernelUse.Backbone, () => nn.Linear(96, 40), [6, 96]),
        Module("CBAM block (VideoFer's, 64 channels)", KernelUse.Cbam, () => new Cbam(64), [4, 64, 10, 10]),
        Module("bidirectional LSTM (VideoFer's, 16 units)", KernelUse.Clips, () => new BidirectionalLstm(48, 16), [3, 8, 48]),
        Conv("conv2d 3x3, 64 -> 64, channels-last", 2, 64, 64, 3, 1, 12, 1, true, KernelUse.ChannelsLast),
        Conv("grouped conv2d 3x3, 16 -> 32 (depthwise x2)", 2, 16, 32, 3, 1, 12, 16, false, KernelUse.TfJsModels, backward: false),
        Conv("grouped conv2d 3x3, 16 -> 32, channels-last (libtorch)", 2, 16, 32, 3, 1, 12, 16, true, KernelUse.Avoided, backward: false,
            ifWrong: "the TF.js importer feeds grouped convolutions NCHW memory"),
        Conv("conv2d 7x7, 2 -> 1, input gradient (libtorch)", 4, 2, 1, 7, 1, 12, 1, false, KernelUse.Avoided,
            ifWrong: "CBAM's spatial gate pads its filter to 16 output channels while training"),
        Module("LSTM, 16 units, inference (libtorch nn.LSTM)", KernelUse.Avoided,
            () => nn.LSTM(48, 16, batchFirst: true, bidirectional: true), [3, 8, 48], backward: false,
            ifWrong: "VideoFer's own BidirectionalLstm is used instead"),
    ];

    /// <summary>The checks a piece of work needs: always the backbone's, plus those of its features.</summary>
    public static IReadOnlyList<KernelCheck> For(bool cbam, bool clips, bool channelsLast) =>
        All.Where(c => c.Use == KernelUse.Backbone || (cbam && c.Use == KernelUse.Cbam) || (clips && c.Use == KernelUse.Clips)
                       || (channelsLast && c.Use == KernelUse.ChannelsLast)).ToList();

    /// <summary>Runs <paramref name="checks"/> at libtorch's current thread count. libtorch's global random
    /// generator is left as it was (the inputs come from a generator of their own).</summary>
    public static IReadOnlyList<KernelVerdict> Run(IEnumerable<KernelCheck>? checks = null)
    {
        var verdicts = new List<KernelVerdict>();
        using var rng = get_rng_state();
        try
        {
            foreach (var check in checks ?? All) verdicts.Add(Run(check));
        }
        finally { set_rng_state(rng); }
        return verdicts;
    }

    static KernelVerdict Run(KernelCheck check)
    {
        double worst = 0;
        string worstPart = "output";
        for (int repeat = 0; repeat < Repeats; repeat++)
        {
            using var scope = NewDisposeScope();
            var single = check.Compute(ScalarType.Float32, repeat);
            var reference = check.Compute(ScalarType.Float64, repeat);
            foreach (var ((part, value), (_, expected)) in single.Zip(reference))
            {
                if (double.IsNaN(worst)) break; // not finite already: nothing is worse
                double error = RelativeError(value, expected);
                if (double.IsNaN(error) || error > worst) { worst = error; worstPart = part; }
            }
        }
        return new KernelVerdict(check.Name, check.Use, !double.IsNaN(worst) && worst <= Tolerance, worst, worstPart, get_num_threads(), check.IfWrong);
    }

    /// <summary>max |a - b| / max |b|, or NaN where a has a value that is not finite.</summary>
    static double RelativeError(Tensor single, Tensor reference)
    {
        if (!single.isfinite().all().item<bool>()) return double.NaN;
        double scale = reference.abs().max().item<double>();
        double diff = (single.to(float64) - reference).abs().max().item<double>();
        return diff / Math.Max(scale, 1e-30);
    }

    // Inputs: the same values for both precisions, drawn in float64 from a generator seeded by the repeat.
    static Tensor Input(long[] shape, ScalarType type, int repeat, int stream, double scale = 1)
    {
        using var generator = new Generator((ulong)(1000 * repeat + stream + 1));
        using var values = randn(shape, float64, generator: generator);
        return (values * scale).to(type);
    }

    static KernelCheck Conv(string name, long n, long cin, long cout, long k, long stride, long hw, long groups, bool channelsLast,
        KernelUse use, bool backward = true, string? ifWrong = null) =>
        new(name, use, ifWrong ?? WorkaroundFor(use), (type, repeat) =>
        {
            var x = Input([n, cin, hw, hw], type, repeat, 1);
            var w = Input([cout, cin / groups, k, k], type, repeat, 2, 1.0 / Math.Sqrt(cin / groups * k * k));
            if (channelsLast)
            {
                x = Inference.InferenceOptimizer.ToChannelsLast(x);
                w = Inference.InferenceOptimizer.ToChannelsLast(w);
            }
            if (!backward)
            {
                using var _ = no_grad();
                return [("output", F.conv2d(x, w, strides: [stride, stride], padding: [k / 2, k / 2], groups: groups))];
            }
            x.requires_grad_(true);
            w.requires_grad_(true);
            var y = F.conv2d(x, w, strides: [stride, stride], padding: [k / 2, k / 2], groups: groups);
            y.backward([Input(y.shape, type, repeat, 3)]);
            return [("output", y.detach()), ("input gradient", x.grad!), ("weight gradient", w.grad!)];
        });

    static KernelCheck Function(string name, KernelUse use, Func<Tensor, Tensor> f, long[] shape) =>
        new(name, use, WorkaroundFor(use), (type, repeat) =>
        {
            var x = Input(shape, type, repeat, 1).requires_grad_(true);
            var y = f(x);
            y.backward([Input(y.shape, type, repeat, 3)]);
            return [("output", y.detach()), ("input gradient", x.grad!)];
        });

    /// <summary>A module in training mode, its parameters drawn from the check's generator (batch-norm scales
    /// around 1), forward and backward; the parameters' gradients are compared as one part.</summary>
    static KernelCheck Module(string name, KernelUse use, Func<nn.Module> create, long[] shape, bool backward = true, string? ifWrong = null) =>
        new(name, use, ifWrong ?? WorkaroundFor(use), (type, repeat) =>
        {
            var module = create();
            module.to(type);
            module.train(backward);
            int stream = 10;
            using (no_grad())
                foreach (var (pname, p) in module.named_parameters())
                {
                    var value = Input(p.shape, type, repeat, stream++, 0.2);
                    p.copy_(pname.EndsWith("weight") && p.dim() == 1 ? value + 1 : value);
                }
            var x = Input(shape, type, repeat, 1).requires_grad_(backward);
            Tensor Forward() => module switch
            {
                nn.Module<Tensor, Tensor> m => m.forward(x),
                TorchSharp.Modules.LSTM lstm => lstm.forward(x, null).Item1,
                _ => throw new ArgumentException($"no forward for {module.GetType().Name}"),
            };
            if (!backward)
            {
                using var _ = no_grad();
                var output = Forward();
                module.Dispose();
                return [("output", output)];
            }
            var y = Forward();
            y.backward([Input(y.shape, type, repeat, 3)]);
            var grads = cat(module.parameters().Select(p => p.grad!.flatten()).ToArray());
            var result = new List<(string, Tensor)> { ("output", y.detach()), ("input gradient", x.grad!), ("parameter gradients", grads) };
            module.Dispose();
            return result;
        });

    static string WorkaroundFor(KernelUse use) => use switch
    {
        KernelUse.ChannelsLast => "set channels_last=false (the default)",
        KernelUse.Cbam => "train a backbone without CBAM (arch=resnet101) or try threads=1",
        _ => "try threads=1, or ONEDNN_MAX_CPU_ISA=AVX2 (or SSE41, slower) to make oneDNN choose other kernels",
    };
}
