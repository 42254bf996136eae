using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Overlapping square tiles covering a frame. The detector sees the whole frame squeezed to
/// 192x192 (or 128x128), where a face smaller than ~1/20 of the frame becomes a few pixels; running it
/// again on tiles gives small faces several times more pixels.</summary>
public static class TileLayout
{
    /// <param name="tilesPerShortSide">Tiles across the frame's shorter side (0 or 1: no tiling).</param>
    /// <param name="overlap">Fraction of a tile shared with its neighbour, so a face cut by one tile's
    /// edge lies whole in the next.</param>
    public static IReadOnlyList<Rect> Compute(int width, int height, int tilesPerShortSide, float overlap = 0.25f)
    {
        if (tilesPerShortSide <= 1 || width <= 0 || height <= 0) return [];
        int shortSide = Math.Min(width, height);
        int side = (int)Math.Ceiling(shortSide / (tilesPerShortSide - (tilesPerShortSide - 1) * overlap));
        side = Math.Min(side, shortSide);
        var xs = Starts(width, side, overlap);
        var ys = Starts(height, side, overlap);
        return ys.SelectMany(y => xs.Select(x => new Rect(x, y, side, side))).ToArray();
    }

    static int[] Starts(int length, int side, float overlap)
    {
        if (side >= length) return [0];
        int count = (int)Math.Ceiling((length - side) / (side * (1 - overlap))) + 1;
        // Spread tiles evenly so the first starts at 0 and the last ends at the frame edge.
        return Enumerable.Range(0, count).Select(i => (int)Math.Round(i * (double)(length - side) / (count - 1))).ToArray();
    }
}
