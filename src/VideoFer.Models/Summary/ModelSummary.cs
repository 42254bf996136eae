using TorchSharp;
using VideoFer.Models.Backbones;
using static TorchSharp.torch;

namespace VideoFer.Models.Summary;

/// <summary>Trainable parameters of one named part of a network.</summary>
public sealed record PartCount(string Name, long Parameters);

/// <summary>Sizes and shapes of an architecture: the ResNet as an image classifier (torchvision layout,
/// fc to <see cref="Classes"/> outputs, which is how parameter counts are usually quoted) and the
/// paper's clip model built on it.</summary>
public sealed record ModelSummary(
    string Arch,
    int Classes,
    long Parameters,
    IReadOnlyList<PartCount> Stages,
    long FeatureDim,
    int ClipModelClasses,
    long ClipModelParameters,
    IReadOnlyList<PartCount> ClipModelParts,
    long[] ClipInputShape,
    long[] ClipOutputShape,
    long[] FrameInputShape,
    long[] FrameOutputShape)
{
    public static long CountTrainable(nn.Module module) =>
        module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Builds the networks and runs one clip through the clip model (batch 1) and one image
    /// through the frame model to report real shapes.</summary>
    public static ModelSummary Create(string arch, int classes, int clipLength = 8, int inputSize = 224, int lstmHidden = 512, int fcHidden = 256)
    {
        var spec = ResNetSpec.Parse(arch);
        if (classes < 1) throw new VideoFerException($"--classes {classes}: expected a positive number.");
        if (clipLength < 1) throw new VideoFerException($"--clip-length {clipLength}: expected a positive number.");
        if (inputSize < 64) throw new VideoFerException($"--input-size {inputSize}: expected at least 64.");

        using var scope = NewDisposeScope();
        using var classifier = new ResNet(spec, classes);
        var stages = new List<PartCount>();
        var byStage = classifier.named_parameters()
            .GroupBy(p => p.name.Split('.')[0] switch { "conv1" or "bn1" => "stem", var s => s })
            .ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
        foreach (var stage in new[] { "stem", "layer1", "layer2", "layer3", "layer4", "fc" })
            stages.Add(new PartCount(stage, byStage.GetValueOrDefault(stage)));

        // The clip model's head is defined for 7 or 8 classes; other counts only concern the classifier.
        int headClasses = classes is 7 or 8 ? classes : 7;
        var config = new ExpressionNetConfig
        {
            Arch = spec.Name, Classes = headClasses, ClipLength = clipLength, InputSize = inputSize,
            LstmHidden = lstmHidden, FcHidden = fcHidden,
        };
        using var clip = new ExpressionNet(config);
        clip.eval();
        var parts = clip.named_parameters()
            .GroupBy(p => p.name.Split('.')[0])
            .Select(g => new PartCount(g.Key, g.Sum(p => p.parameter.numel())))
            .ToList();
        long[] clipIn = [1, clipLength, 3, inputSize, inputSize];
        long[] clipOut, frameOut;
        using (inference_mode())
        {
            clipOut = clip.forward(zeros(clipIn)).shape;
            using var frame = new FrameExpressionNet(config);
            frame.eval();
            frameOut = frame.forward(zeros(1, 3, inputSize, inputSize)).shape;
        }
        return new ModelSummary(spec.Name, classes, CountTrainable(classifier), stages, classifier.FeatureDim,
            headClasses, CountTrainable(clip), parts, clipIn, clipOut, [1, 3, inputSize, inputSize], frameOut);
    }
}
