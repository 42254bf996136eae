using System.Globalization;
using VideoFer.Submissions;
using VideoFer.IO;

namespace VideoFer.Inference.Outputs;

/// <summary>predictions.csv: one row per frame and track: frame (1-based), time (s), track, person (when tracks
/// were linked into people), box (x, y, w, h in pixels), detector score, the smoothed probability of each of the
/// predictor's classes (a column named after each), label; then, from a multi-task checkpoint, valence and arousal
/// ([-1, 1]) and the probability of each action unit (a column named after each, e.g. AU12).</summary>
public static class PredictionCsv
{
    /// <summary>The header line (without its line end) for a predictor with these classes, with the person column
    /// when tracks were linked into people.</summary>
    public static string Header(IReadOnlyList<string> classNames, bool people = false, bool valenceArousal = false,
        IReadOnlyList<string>? actionUnits = null) =>
        "frame,time,track," + (people ? "person," : "") + "x,y,w,h,score," + string.Join(',', classNames) + ",label"
        + (valenceArousal ? ",valence,arousal" : "") + (actionUnits is { Count: > 0 } ? "," + string.Join(',', actionUnits) : "");

    /// <summary>The VA and AU columns of a record (with their leading commas), empty for an expression-only model.</summary>
    public static string TaskColumns(PredictionRecord r, bool valenceArousal, int actionUnits)
    {
        if (!valenceArousal && actionUnits == 0) return "";
        var text = new System.Text.StringBuilder();
        if (valenceArousal)
            text.Append(',').Append(Value(r.ValenceArousal?[0])).Append(',').Append(Value(r.ValenceArousal?[1]));
        for (int j = 0; j < actionUnits; j++)
            text.Append(',').Append(Value(r.ActionUnits?[j]));
        return text.ToString();
    }

    // NaN is written as NaN (InvariantCulture's text), never dropped; a record without the value leaves the cell empty.
    static string Value(float? v) => v is float f ? Probability(f) : "";

    /// <summary>A time as the CSV writes it (seconds, to 0.001).</summary>
    public static string Time(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A probability as the CSV writes it (to 0.00001).</summary>
    public static string Probability(float p) => p.ToString("0.#####", CultureInfo.InvariantCulture);

    public static void Write(string path, VideoPrediction prediction)
    {
        var names = prediction.ClassNames;
        bool people = prediction.PeopleLinked, va = prediction.HasValenceArousal;
        var aus = prediction.ActionUnitNames;
        AtomicFile.WriteText(path, w =>
        {
            w.Write(Header(names, people, va, aus) + "\n");
            foreach (var r in prediction.Records)
            {
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Frame},{Time(r.Time)},{r.Track},"));
                if (people) w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Person},"));
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Box.X:0.#},{r.Box.Y:0.#},{r.Box.Width:0.#},{r.Box.Height:0.#},{r.Score:0.###},"));
                w.Write(string.Join(',', r.Probabilities.Select(Probability)));
                w.Write("," + names[r.Label] + TaskColumns(r, va, aus.Count) + "\n");
            }
        });
    }
}
