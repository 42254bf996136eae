using OpenCvSharp;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class TileLayoutTests
{
    [Theory]
    [InlineData(720, 528, 2)]
    [InlineData(1920, 1080, 2)]
    [InlineData(1080, 1920, 3)]
    [InlineData(640, 640, 2)]
    public void Tiles_are_square_cover_the_frame_and_overlap(int width, int height, int perShortSide)
    {
        var tiles = TileLayout.Compute(width, height, perShortSide, 0.25f);
        Assert.NotEmpty(tiles);
        Assert.All(tiles, t =>
        {
            Assert.Equal(t.Width, t.Height);
            Assert.True(t.X >= 0 && t.Y >= 0 && t.Right <= width && t.Bottom <= height, t.ToString());
        });
        // every pixel row/column is covered, and any face up to a quarter tile lies whole in some tile
        int side = tiles[0].Width;
        int face = side / 4;
        for (int y = 0; y + face <= height; y += 7)
            for (int x = 0; x + face <= width; x += 7)
                Assert.Contains(tiles, t => t.Contains(new Rect(x, y, face, face)));
        Assert.Equal(perShortSide, tiles.Select(t => Math.Min(width, height) == width ? t.X : t.Y).Distinct().Count());
    }

    [Fact]
    public void No_tiles_when_disabled()
    {
        Assert.Empty(TileLayout.Compute(1920, 1080, 0));
        Assert.Empty(TileLayout.Compute(1920, 1080, 1));
    }
}
