using BenchmarkDotNet.Attributes;
using VideoFer.Models;
using VideoFer.Models.Inference;
using static TorchSharp.torch;

namespace VideoFer.Benchmarks;

/// <summary>The clip network's forward pass as trained and after <see cref="InferenceOptimizer"/>
/// (BN folded, channels-last), one clip of 8 frames, on the libtorch threads of the machine.</summary>
public class BackboneInference
{
    ExpressionNet _net = null!;
    Tensor _clip = null!;

    [Params("resnet18-cbam", "resnet50-cbam")]
    public string Arch { get; set; } = "";

    [Params(112, 224)]
    public int Size { get; set; }

    [Params(false, true)]
    public bool Optimized { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        _net = new ExpressionNet(new ExpressionNetConfig { Arch = Arch, InputSize = Size });
        _net.eval();
        if (Optimized) InferenceOptimizer.Optimize(_net);
        _clip = randn([1, 8, 3, Size, Size]);
    }

    [Benchmark]
    public void ForwardOneClip()
    {
        using var _ = inference_mode();
        _net.forward(_clip).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _net.Dispose();
        _clip.Dispose();
    }
}
