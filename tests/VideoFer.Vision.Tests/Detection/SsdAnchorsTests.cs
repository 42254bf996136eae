using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class SsdAnchorsTests
{
    [Theory]
    [InlineData(BlazeFaceModel.FullRange, 2304)]
    [InlineData(BlazeFaceModel.ShortRange, 896)]
    public void Anchor_count_matches_the_model_outputs(BlazeFaceModel model, int expected)
    {
        var anchors = SsdAnchors.Generate(BlazeFaceSpec.For(model).Anchors);
        Assert.Equal(expected, anchors.Length);
        Assert.All(anchors, a => Assert.InRange(a.X, 0f, 1f));
        Assert.All(anchors, a => Assert.InRange(a.Y, 0f, 1f));
    }

    [Fact]
    public void Full_range_anchors_are_the_centres_of_a_48x48_grid_row_by_row()
    {
        var anchors = SsdAnchors.Generate(BlazeFaceSpec.For(BlazeFaceModel.FullRange).Anchors);
        Assert.Equal(0.5f / 48, anchors[0].X, 6);
        Assert.Equal(0.5f / 48, anchors[0].Y, 6);
        Assert.Equal(1.5f / 48, anchors[1].X, 6);  // next cell to the right
        Assert.Equal(0.5f / 48, anchors[48].X, 6); // second row starts at the left again
        Assert.Equal(1.5f / 48, anchors[48].Y, 6);
        Assert.Equal(47.5f / 48, anchors[^1].X, 6);
    }

    [Fact]
    public void Short_range_has_two_anchors_per_16x16_cell_then_six_per_8x8_cell()
    {
        var anchors = SsdAnchors.Generate(BlazeFaceSpec.For(BlazeFaceModel.ShortRange).Anchors);
        Assert.Equal(anchors[0], anchors[1]);
        Assert.Equal(1.5f / 16, anchors[2].X, 6);
        // The stride-16 layers start after 16*16*2 anchors; their 3 layers x 2 anchors share each cell.
        var coarse = anchors.Skip(512).ToArray();
        Assert.Equal(384, coarse.Length);
        Assert.All(coarse.Take(6), a => Assert.Equal(new SsdAnchors.Anchor(0.5f / 8, 0.5f / 8), a));
        Assert.Equal(1.5f / 8, coarse[6].X, 6);
    }

    [Theory]
    [InlineData(BlazeFaceModel.FullRange, new[] { 2304 })]
    [InlineData(BlazeFaceModel.ShortRange, new[] { 512, 384 })]
    public void Grid_sizes_split_the_anchors_by_feature_map(BlazeFaceModel model, int[] expected)
    {
        var options = BlazeFaceSpec.For(model).Anchors;
        Assert.Equal(expected, SsdAnchors.GridSizes(options));
        Assert.Equal(SsdAnchors.Generate(options).Length, SsdAnchors.GridSizes(options).Sum());
    }
}
