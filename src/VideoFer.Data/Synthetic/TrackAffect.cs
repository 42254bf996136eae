using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Valence, arousal and action units of every frame of a track, read off the drawn faces
/// (<see cref="FaceAffect"/>), and the frames whose VA or AU annotation is left out.
/// <para>Drawn from streams of their own, so the expression script, the images and the EXPR files of a
/// seed are the same as without them.</para></summary>
public sealed class TrackAffect
{
    /// <summary>Per 0-based frame, in [-1, 1]: what the face shows, including frames left unannotated.</summary>
    public float[] Valence { get; }
    public float[] Arousal { get; }
    /// <summary>Per 0-based frame, whether each AU of <see cref="FaceAffect.Units"/> is active.</summary>
    public bool[][] Active { get; }
    /// <summary>Per 0-based frame, whether the VA (AU) file gives this frame a value or the sentinel.</summary>
    public bool[] ValenceArousalAnnotated { get; }
    public bool[] ActionUnitsAnnotated { get; }

    TrackAffect(float[] valence, float[] arousal, bool[][] active, bool[] va, bool[] au)
    {
        Valence = valence;
        Arousal = arousal;
        Active = active;
        ValenceArousalAnnotated = va;
        ActionUnitsAnnotated = au;
    }

    /// <summary>Shortest and longest run of frames an annotator leaves out.</summary>
    public const int MinGap = 5, MaxGap = 40;

    /// <summary>Labels for the frames of one track. <paramref name="unannotatedFrames"/> is the expected
    /// fraction of frames left out of each of the VA and AU files, in runs of <see cref="MinGap"/> to
    /// <see cref="MaxGap"/> frames, independently for the two tasks.</summary>
    public static TrackAffect Derive(IReadOnlyList<SyntheticFrame> frames, FaceIdentity id, double unannotatedFrames, ulong seed, int track)
    {
        var style = AffectStyle.Sample(SeededRandom.Derive(seed, SynthPlan.StreamAffect, track, 0));
        var noise = SeededRandom.Derive(seed, SynthPlan.StreamAffect, track, 1);
        int n = frames.Count;
        var valence = new float[n];
        var arousal = new float[n];
        var active = new bool[n][];
        // Annotators' traces wander a little around what the face shows: slow, small noise.
        double vNoise = 0, aNoise = 0;
        for (int i = 0; i < n; i++)
        {
            vNoise = 0.9 * vNoise + 0.01 * noise.NextGaussian();
            aNoise = 0.9 * aNoise + 0.01 * noise.NextGaussian();
            var f = frames[i];
            var change = FaceAffect.Change(f.Expressed, id.RestingFace);
            var (v, a) = style.Affect(change, vNoise, aNoise);
            valence[i] = (float)v;
            arousal[i] = (float)a;
            active[i] = style.Active(change, f.Shown, f.Intensity);
        }
        var va = Gaps(n, unannotatedFrames, SeededRandom.Derive(seed, SynthPlan.StreamAffect, track, 2));
        var au = Gaps(n, unannotatedFrames, SeededRandom.Derive(seed, SynthPlan.StreamAffect, track, 3));
        return new TrackAffect(valence, arousal, active, va, au);
    }

    /// <summary>True where annotated: all frames but runs that start with a probability chosen so that
    /// about <paramref name="fraction"/> of the frames fall in them.</summary>
    static bool[] Gaps(int n, double fraction, SeededRandom rng)
    {
        var annotated = new bool[n];
        Array.Fill(annotated, true);
        if (fraction <= 0) return annotated;
        double meanGap = (MinGap + MaxGap) / 2.0;
        double start = fraction >= 1 ? 1 : Math.Min(1, fraction / (meanGap * (1 - fraction)));
        for (int i = 0; i < n; i++)
        {
            if (!rng.Chance(start)) continue;
            int length = rng.NextInclusive(MinGap, MaxGap);
            for (int k = i; k < Math.Min(n, i + length); k++) annotated[k] = false;
            i += length;
        }
        return annotated;
    }
}
