using System.Globalization;
using OpenCvSharp;
using VideoFer.Inference.People;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>people.csv, one row per person: its tracks, frames with its face, time on screen, first and last
/// appearance, whether it was linkable, the share of each expression (labels after smoothing), and its thumbnail
/// <c>person&lt;N&gt;.jpg</c>: the face the identity embedding judged best (upright, as the embedding saw it).</summary>
public static class PeopleSummary
{
    /// <summary>Writes people.csv and the thumbnails; returns (people.csv, thumbnails by person id).</summary>
    public static (string Csv, IReadOnlyDictionary<int, string> Thumbnails) Write(string directory, VideoPrediction prediction)
    {
        var names = prediction.ClassNames;
        string csv = Path.Combine(directory, "people.csv");
        var thumbnails = new Dictionary<int, string>();
        AtomicFile.WriteText(csv, w =>
        {
            w.Write("person,tracks,frames,seconds_on_screen,first_time,last_time,linked," + string.Join(',', names) + ",thumbnail\n");
            foreach (var p in prediction.People.People)
            {
                var shares = LabelShares(prediction, p);
                string thumb = p.Thumbnail is null ? "" : $"person{p.Id}.jpg";
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Id},{string.Join(' ', p.Tracks)},{p.Frames},{p.SecondsOnScreen(prediction.VideoFps):0.###},{p.FirstTime:0.###},{p.LastTime:0.###},{(p.Linked ? "yes" : "no")},"));
                w.Write(string.Join(',', shares.Select(s => s.ToString("0.####", CultureInfo.InvariantCulture))));
                w.Write("," + thumb + "\n");
            }
        });
        foreach (var p in prediction.People.People)
        {
            if (p.Thumbnail is not { } crop) continue;
            string path = Path.Combine(directory, $"person{p.Id}.jpg");
            using var mat = new Mat(crop.Height, crop.Width, MatType.CV_8UC3);
            var bytes = crop.Pixels.ToArray();
            System.Runtime.InteropServices.Marshal.Copy(bytes, 0, mat.Data, Math.Min(bytes.Length, crop.Height * crop.Width * 3));
            if (!Cv2.ImEncode(".jpg", mat, out byte[] jpeg)) throw new VideoFerException($"{path}: OpenCV could not encode the thumbnail");
            AtomicFile.Write(path, temp => File.WriteAllBytes(temp, jpeg));
            thumbnails[p.Id] = path;
        }
        return (csv, thumbnails);
    }

    /// <summary>The share of this person's frames labelled with each class, in class order.</summary>
    public static double[] LabelShares(VideoPrediction prediction, Person p)
    {
        var records = prediction.Records.Where(r => r.Person == p.Id).ToList();
        return prediction.ClassNames.Select((_, k) => records.Count == 0 ? 0 : (double)records.Count(r => r.Label == k) / records.Count).ToArray();
    }

    /// <summary>Labels per class for one person (zero included), for --json.</summary>
    public static Dictionary<string, int> LabelCounts(VideoPrediction prediction, Person p)
    {
        var records = prediction.Records.Where(r => r.Person == p.Id).ToList();
        return prediction.ClassNames.Select((name, k) => (name, records.Count(r => r.Label == k))).ToDictionary(x => x.name, x => x.Item2);
    }
}
