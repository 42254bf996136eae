using VideoFer.Models.TfJs;

namespace VideoFer.Models.Tests.TfJs;

/// <summary>TensorFlow's SAME padding: output ceil(in / stride), the odd element at the bottom/right.</summary>
public class TfJsPaddingTests
{
    [Theory]
    [InlineData(64, 3, 2, 1, 0, 1)]  // out 32: needs 65 rows, one extra at the bottom
    [InlineData(29, 3, 2, 1, 1, 1)]  // out 15: 31 rows
    [InlineData(10, 3, 2, 1, 0, 1)]
    [InlineData(5, 2, 1, 1, 0, 1)]
    [InlineData(7, 3, 1, 2, 2, 2)]   // dilated 3x3 acts as 5x5
    [InlineData(4, 1, 2, 1, 0, 0)]
    [InlineData(3, 5, 1, 1, 2, 2)]
    public void SameMatchesTensorFlowRule(long size, long kernel, long stride, long dilation, long before, long after)
    {
        var pad = TfJsPadding.Compute("SAME", size, kernel, stride, dilation);
        Assert.Equal(new PadPair(before, after), pad);
        long effective = (kernel - 1) * dilation + 1;
        long output = (size + pad.Before + pad.After - effective) / stride + 1;
        Assert.Equal((size + stride - 1) / stride, output);
    }

    [Fact]
    public void ValidPadsNothing() => Assert.True(TfJsPadding.Compute("VALID", 9, 3, 2, 1).IsZero);
}
