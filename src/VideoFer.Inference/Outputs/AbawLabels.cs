using VideoFer.Clips;
using VideoFer.Submissions;

namespace VideoFer.Inference.Outputs;

/// <summary>ABAW-format label files, with the header of the edition the predictor's classes belong to
/// (7 classes: 2020/2021; 8 with Other: 2022 on): the header and one label for every frame of the video. One
/// file per person (<c>&lt;stem&gt;_&lt;person&gt;.txt</c>) when tracks were linked into people, else one per track
/// (<c>&lt;stem&gt;_&lt;track&gt;.txt</c>); a single one is <c>&lt;stem&gt;.txt</c>. Frames where the person (track) has no
/// face take the label of the nearest frame where it has one (the earlier on a tie), as ABAW teams filled them.
/// A multi-task checkpoint's valence-arousal and action units (probability above 0.5) go beside them, under the same
/// names, in <c>VA/</c> and <c>AU/</c> in the ABAW VA and AU formats, filled the same way.</summary>
public static class AbawLabels
{
    /// <summary>One file per person when people were linked, else per track.</summary>
    public static IReadOnlyList<string> Write(string directory, VideoPrediction prediction) =>
        prediction.PeopleLinked ? WritePeople(directory, prediction) : WriteTracks(directory, prediction);

    /// <summary>One file per person (<c>&lt;stem&gt;_&lt;person&gt;.txt</c>).</summary>
    public static IReadOnlyList<string> WritePeople(string directory, VideoPrediction prediction) =>
        Write(directory, prediction, prediction.People.People.Select(p => p.Id).ToList(), r => r.Person);

    /// <summary>One file per track (<c>&lt;stem&gt;_&lt;track&gt;.txt</c>).</summary>
    public static IReadOnlyList<string> WriteTracks(string directory, VideoPrediction prediction) =>
        Write(directory, prediction, prediction.Tracks, r => r.Track);

    static IReadOnlyList<string> Write(string directory, VideoPrediction prediction, IReadOnlyList<int> ids, Func<PredictionRecord, int> idOf)
    {
        Directory.CreateDirectory(directory); // present, possibly empty: no face, nothing to label
        var written = new List<string>();
        var byId = prediction.Records.ToLookup(idOf);
        foreach (int id in ids)
        {
            var labels = new int[prediction.Frames];
            var has = new bool[prediction.Frames];
            foreach (var r in byId[id].Where(r => r.Frame <= prediction.Frames))
            {
                labels[r.Frame - 1] = r.Label;
                has[r.Frame - 1] = true;
            }
            var filled = NearestFrameFill.Fill(labels, has);
            string name = ids.Count == 1 ? prediction.Stem : $"{prediction.Stem}_{id}";
            string path = Path.Combine(directory, name + ".txt");
            PerVideoSubmission.Write(path, filled, prediction.ClassNames.Count);
            written.Add(path);
            if (prediction.HasValenceArousal || prediction.ActionUnitNames.Count > 0)
                written.AddRange(WriteTasks(directory, name, prediction, byId[id], has));
        }
        return written;
    }

    static IEnumerable<string> WriteTasks(string directory, string name, VideoPrediction prediction, IEnumerable<PredictionRecord> records, bool[] has)
    {
        var byFrame = new PredictionRecord?[prediction.Frames];
        foreach (var r in records.Where(r => r.Frame <= prediction.Frames)) byFrame[r.Frame - 1] = r;
        var sources = NearestFrameFill.Sources(has);
        PredictionRecord? At(int frame) => sources[frame] > 0 ? byFrame[sources[frame] - 1] : null;
        if (prediction.HasValenceArousal)
        {
            var valence = new float[prediction.Frames];
            var arousal = new float[prediction.Frames];
            for (int f = 0; f < prediction.Frames; f++)
                if (At(f)?.ValenceArousal is { } va) (valence[f], arousal[f]) = (va[0], va[1]);
            string path = Path.Combine(directory, "VA", name + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ValenceArousalSubmission.Write(path, valence, arousal);
            yield return path;
        }
        if (prediction.ActionUnitNames.Count > 0)
        {
            int n = prediction.ActionUnitNames.Count;
            var probabilities = new float[prediction.Frames * n];
            for (int f = 0; f < prediction.Frames; f++)
                if (At(f)?.ActionUnits is { } aus) aus.CopyTo(probabilities, f * n);
            string path = Path.Combine(directory, "AU", name + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ActionUnitSubmission.Write(path, prediction.ActionUnitNames, Metrics.ActionUnitThresholds.Apply(probabilities, n));
            yield return path;
        }
    }
}
