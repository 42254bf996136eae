using VideoFer.Models.Backbones;

namespace VideoFer.Models.Summary;

/// <summary>Multiply-accumulates of one frame through the networks, counted from the layer shapes
/// (convolutions, CBAM's MLP and 7x7 convolution, the LSTM and FC layers; element-wise work is left
/// out, as in torchvision's published GFLOPS). Used to express measured speed as GFLOP/s.</summary>
public static class NetworkCost
{
    /// <summary>MACs of the backbone (no fc) on one <paramref name="inputSize"/>² image.</summary>
    public static long BackboneMacs(ResNetSpec spec, int inputSize)
    {
        long side = Out(inputSize, 7, 2, 3);                 // conv1 7x7/2
        long macs = Conv(3, 64, 7, side);
        side = Out(side, 3, 2, 1);                           // maxpool 3x3/2
        long inPlanes = 64;
        long expansion = spec.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        int[] planesOf = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < spec.Layers[stage]; block++)
            {
                long planes = planesOf[stage], stride = stage > 0 && block == 0 ? 2 : 1;
                long outSide = Out(side, 3, stride, 1), outChannels = planes * expansion;
                if (spec.Bottleneck)
                    macs += Conv(inPlanes, planes, 1, side) + Conv(planes, planes, 3, outSide) + Conv(planes, outChannels, 1, outSide);
                else
                    macs += Conv(inPlanes, planes, 3, outSide) + Conv(planes, planes, 3, outSide);
                if (stride != 1 || inPlanes != outChannels) macs += Conv(inPlanes, outChannels, 1, outSide);
                if (spec.Cbam)
                {
                    long hidden = Math.Max(1, outChannels / 16);
                    macs += 2 * 2 * outChannels * hidden;        // the shared MLP on the avg- and max-pooled vectors
                    macs += Conv(2, 1, 7, outSide);              // spatial gate
                }
                inPlanes = outChannels;
                side = outSide;
            }
        return macs;
    }

    /// <summary>MACs per frame of the whole clip network: backbone, BLSTM and FC head.</summary>
    public static long ClipNetworkMacsPerFrame(ExpressionNetConfig config)
    {
        var spec = config.Backbone;
        long feature = spec.Bottleneck ? 2048 : 512, h = config.LstmHidden;
        long lstm = 0, input = feature;
        for (int layer = 0; layer < config.LstmLayers; layer++)
        {
            lstm += 2 * 4 * h * (input + h); // two directions, four gates, input and recurrent weights
            input = 2 * h;
        }
        var outputs = config.Outputs;
        int heads = (outputs.HasExpression ? 1 : 0) + (outputs.HasValenceArousal ? 1 : 0) + (outputs.HasActionUnits ? 1 : 0);
        long head = heads * 2 * h * config.FcHidden + (long)config.FcHidden * outputs.Width;
        return BackboneMacs(spec, config.InputSize) + lstm + head;
    }

    static long Out(long side, long kernel, long stride, long padding) => (side + 2 * padding - kernel) / stride + 1;

    static long Conv(long cin, long cout, long kernel, long outSide) => cin * cout * kernel * kernel * outSide * outSide;
}
