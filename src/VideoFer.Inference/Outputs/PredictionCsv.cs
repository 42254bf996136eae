using System.Globalization;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>predictions.csv: one row per frame and track: frame (1-based), time (s), track, person (when tracks
/// were linked into people), box (x, y, w, h in pixels), detector score, the smoothed probability of each of the
/// predictor's classes (a column named after each), label.</summary>
public static class PredictionCsv
{
    /// <summary>The header line (without its line end) for a predictor with these classes, with the person column
    /// when tracks were linked into people.</summary>
    public static string Header(IReadOnlyList<string> classNames, bool people = false) =>
        "frame,time,track," + (people ? "person," : "") + "x,y,w,h,score," + string.Join(',', classNames) + ",label";

    /// <summary>A time as the CSV writes it (seconds, to 0.001).</summary>
    public static string Time(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A probability as the CSV writes it (to 0.00001).</summary>
    public static string Probability(float p) => p.ToString("0.#####", CultureInfo.InvariantCulture);

    public static void Write(string path, VideoPrediction prediction)
    {
        var names = prediction.ClassNames;
        bool people = prediction.PeopleLinked;
        AtomicFile.WriteText(path, w =>
        {
            w.Write(Header(names, people) + "\n");
            foreach (var r in prediction.Records)
            {
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Frame},{Time(r.Time)},{r.Track},"));
                if (people) w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Person},"));
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Box.X:0.#},{r.Box.Y:0.#},{r.Box.Width:0.#},{r.Box.Height:0.#},{r.Score:0.###},"));
                w.Write(string.Join(',', r.Probabilities.Select(Probability)));
                w.Write("," + names[r.Label] + "\n");
            }
        });
    }
}
