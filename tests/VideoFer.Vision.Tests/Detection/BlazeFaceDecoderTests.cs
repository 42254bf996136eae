using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class BlazeFaceDecoderTests
{
    [Fact]
    public void Sigmoid_is_clipped_and_centred()
    {
        Assert.Equal(0.5f, BlazeFaceDecoder.Sigmoid(0), 6);
        Assert.Equal(1f / (1f + MathF.Exp(-2f)), BlazeFaceDecoder.Sigmoid(2), 6);
        Assert.False(float.IsNaN(BlazeFaceDecoder.Sigmoid(-1e30f)));
    }

    [Fact]
    public void Offsets_are_input_pixels_relative_to_the_anchor_centre()
    {
        var anchors = new[] { new SsdAnchors.Anchor(0.25f, 0.5f), new SsdAnchors.Anchor(0.75f, 0.75f) };
        var decoder = new BlazeFaceDecoder(anchors, 100);
        var logits = new[] { -5f, 3f }; // only the second anchor passes 0.5
        var raw = new float[2 * 16];
        // second anchor: centre moved by (+10, -5) px, 20x30 px box, keypoint k at (+k, +2k) px
        var r = raw.AsSpan(16);
        r[0] = 10; r[1] = -5; r[2] = 20; r[3] = 30;
        for (int k = 0; k < 6; k++) { r[4 + 2 * k] = k; r[5 + 2 * k] = 2 * k; }

        var found = decoder.Decode(logits, raw, 0.5f);

        var d = Assert.Single(found);
        Assert.Equal(BlazeFaceDecoder.Sigmoid(3), d.Score, 6);
        Assert.Equal(0.85f - 0.10f, d.Box.X, 5);   // centre 0.85, half width 0.10
        Assert.Equal(0.70f - 0.15f, d.Box.Y, 5);
        Assert.Equal(0.20f, d.Box.Width, 5);
        Assert.Equal(0.30f, d.Box.Height, 5);
        Assert.Equal(0.75f + 0.05f, d.Keypoints[5].X, 5);
        Assert.Equal(0.75f + 0.10f, d.Keypoints[5].Y, 5);
    }

    [Fact]
    public void Wrong_output_sizes_are_reported()
    {
        var decoder = new BlazeFaceDecoder([new(0.5f, 0.5f)], 128);
        Assert.Throws<InvalidOperationException>(() => decoder.Decode(new float[2], new float[16], 0.5f));
    }
}
