using System.Globalization;
using VideoFer.Vision.Faces;

namespace VideoFer.Vision.Prepare;

/// <summary>The per-video CSV: one row per face per frame, in image pixels of the source frame.</summary>
public static class FaceCsv
{
    public const string Header =
        "frame,time,track,face,x,y,w,h," +
        "right_eye_x,right_eye_y,left_eye_x,left_eye_y,nose_x,nose_y,mouth_x,mouth_y," +
        "right_ear_x,right_ear_y,left_ear_x,left_ear_y,score";

    /// <param name="face">Name of the face stream (folder under cropped_aligned/).</param>
    public static string Row(int frame, double time, int track, string face, FaceDetection d)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>(21)
        {
            frame.ToString(c), time.ToString("0.###", c), track.ToString(c), face,
            d.Box.X.ToString("0.#", c), d.Box.Y.ToString("0.#", c), d.Box.Width.ToString("0.#", c), d.Box.Height.ToString("0.#", c),
        };
        foreach (var p in d.Keypoints) { parts.Add(p.X.ToString("0.#", c)); parts.Add(p.Y.ToString("0.#", c)); }
        parts.Add(d.Score.ToString("0.####", c));
        return string.Join(',', parts);
    }
}
