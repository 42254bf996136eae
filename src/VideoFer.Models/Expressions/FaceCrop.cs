namespace VideoFer.Models.Expressions;

/// <summary>Channel order of 8-bit colour pixels: OpenCV's BGR or the RGB of most other libraries.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>A face cut out of a frame: 8-bit, 3-channel, row-major HWC pixels. <see cref="Stride"/> is the
/// bytes from one row to the next (at least 3 * width), so an OpenCV Mat's buffer can be passed as it is.
/// Kept free of any image library so that VideoFer.Models does not depend on OpenCV.</summary>
public readonly record struct FaceCrop
{
    public FaceCrop(ReadOnlyMemory<byte> pixels, int width, int height, ChannelOrder order, int stride = 0)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"a face crop must have a positive size, not {width}x{height}");
        if (stride == 0) stride = 3 * width;
        if (stride < 3 * width)
            throw new ArgumentOutOfRangeException(nameof(stride), $"stride {stride} is less than 3 * width ({3 * width})");
        long needed = (long)stride * (height - 1) + 3L * width;
        if (pixels.Length < needed)
            throw new ArgumentException($"{pixels.Length} bytes cannot hold a {width}x{height} 3-channel image with stride {stride} ({needed} needed)", nameof(pixels));
        Pixels = pixels;
        Width = width;
        Height = height;
        Order = order;
        Stride = stride;
    }

    public ReadOnlyMemory<byte> Pixels { get; }
    public int Width { get; }
    public int Height { get; }
    public ChannelOrder Order { get; }
    public int Stride { get; }
}
