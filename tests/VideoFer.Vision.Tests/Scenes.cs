using OpenCvSharp;

namespace VideoFer.Vision.Tests;

/// <summary>Pictures made from the opencv-doc test media.</summary>
public static class Scenes
{
    /// <summary>A 1280x720 scene without people with Messi's face pasted at 96 px (a 48-pixel face box),
    /// which only the detector's tiles find; <paramref name="shift"/> moves it right.</summary>
    public static Mat SmallFaceScene(int shift = 0)
    {
        using var messi = Cv2.ImRead(TestMedia.Messi);
        using var board = Cv2.ImRead(TestMedia.Board);
        using var patch = new Mat(messi, new Rect(206, 76, 68, 68));
        using var small = new Mat();
        Cv2.Resize(patch, small, new Size(96, 96), 0, 0, InterpolationFlags.Area);
        var canvas = new Mat();
        Cv2.Resize(board, canvas, new Size(1280, 720));
        using (var roi = new Mat(canvas, new Rect(500 + shift, 300, 96, 96))) small.CopyTo(roi);
        return canvas;
    }
}
