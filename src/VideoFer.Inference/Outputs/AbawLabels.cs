using VideoFer.Clips;
using VideoFer.Submissions;

namespace VideoFer.Inference.Outputs;

/// <summary>ABAW-format label files, with the header of the edition the predictor's classes belong to
/// (7 classes: 2020/2021; 8 with Other: 2022 on), one per track (<c>&lt;stem&gt;_&lt;track&gt;.txt</c>, or <c>&lt;stem&gt;.txt</c>
/// for a single track): the header and one label for every frame of the video. Frames where the track
/// has no face take the label of the nearest frame where it has one (the earlier on a tie), as ABAW
/// teams filled them.</summary>
public static class AbawLabels
{
    public static IReadOnlyList<string> Write(string directory, VideoPrediction prediction)
    {
        Directory.CreateDirectory(directory); // present, possibly empty: no track, nothing to label
        var tracks = prediction.Tracks;
        var written = new List<string>();
        foreach (int track in tracks)
        {
            var labels = new int[prediction.Frames];
            var has = new bool[prediction.Frames];
            foreach (var r in prediction.Records.Where(r => r.Track == track && r.Frame <= prediction.Frames))
            {
                labels[r.Frame - 1] = r.Label;
                has[r.Frame - 1] = true;
            }
            var filled = NearestFrameFill.Fill(labels, has);
            string name = tracks.Count == 1 ? prediction.Stem : $"{prediction.Stem}_{track}";
            string path = Path.Combine(directory, name + ".txt");
            PerVideoSubmission.Write(path, filled, prediction.ClassNames.Count);
            written.Add(path);
        }
        return written;
    }
}
