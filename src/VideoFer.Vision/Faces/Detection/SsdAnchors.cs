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
        int layer = 0;
        while (layer < o.Strides.Length)
        {
            // Group the run of layers that share this stride: they predict on the same grid.
            int stride = o.Strides[layer];
            int last = layer;
            while (last < o.Strides.Length && o.Strides[last] == stride) last++;
            int layersInGroup = last - layer;
            int perLayer = 1 + (o.InterpolatedScaleAspectRatio > 0 ? 1 : 0); // aspect ratio 1 (+ interpolated)
            int perCell = layersInGroup * perLayer;

            int rows = (int)Math.Ceiling((double)o.InputHeight / stride);
            int cols = (int)Math.Ceiling((double)o.InputWidth / stride);
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                {
                    var centre = new Anchor((x + o.AnchorOffsetX) / cols, (y + o.AnchorOffsetY) / rows);
                    for (int k = 0; k < perCell; k++) anchors.Add(centre);
                }
            layer = last;
        }
        return anchors.ToArray();
    }
}
