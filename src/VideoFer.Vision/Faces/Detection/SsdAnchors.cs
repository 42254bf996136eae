namespace VideoFer.Vision.Faces.Detection;

/// <summary>Anchor centres in normalised [0, 1] input coordinates, in the order the model emits its
/// boxes: consecutive layers with the same stride share one feature map, cells row by row, and within a
/// cell all anchors of those layers in turn.</summary>
internal static class SsdAnchors
{
    public readonly record struct Anchor(float X, float Y);

    public static Anchor[] Generate(SsdAnchorOptions o)
    {
        var anchors = new List<Anchor>();
        foreach (var (rows, cols, perCell) in Grids(o))
        {
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                {
                    var centre = new Anchor((x + o.AnchorOffsetX) / cols, (y + o.AnchorOffsetY) / rows);
                    for (int k = 0; k < perCell; k++) anchors.Add(centre);
                }
        }
        return anchors.ToArray();
    }

    /// <summary>Anchors per feature map, in output order. The model emits one block per feature map
    /// (a head), so with a batch of several images each head's block holds all images in turn.</summary>
    public static int[] GridSizes(SsdAnchorOptions o) => Grids(o).Select(g => g.Rows * g.Cols * g.PerCell).ToArray();

    /// <summary>Each feature map's grid and anchors per cell.</summary>
    static IEnumerable<(int Rows, int Cols, int PerCell)> Grids(SsdAnchorOptions o)
    {
        int layer = 0;
        while (layer < o.Strides.Length)
        {
            // Group the run of layers that share this stride: they predict on the same grid.
            int stride = o.Strides[layer];
            int last = layer;
            while (last < o.Strides.Length && o.Strides[last] == stride) last++;
            int perLayer = 1 + (o.InterpolatedScaleAspectRatio > 0 ? 1 : 0); // aspect ratio 1 (+ interpolated)
            yield return ((int)Math.Ceiling((double)o.InputHeight / stride), (int)Math.Ceiling((double)o.InputWidth / stride), (last - layer) * perLayer);
            layer = last;
        }
    }
}
