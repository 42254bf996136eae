using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>One expression episode of a track: frames [Start, Start + Length) carry the class label;
/// the visible intensity rises over <see cref="Onset"/> frames, holds, and falls over <see cref="Offset"/> frames.</summary>
public sealed record ExpressionSegment(int Start, int Length, Expression Expression, int Onset, int Offset, double StartIntensity, double Peak);

/// <summary>The sequence of expression segments along a track and the per-frame intensity that follows
/// from it (0 = neutral face, 1 = full apex).
/// <para>Like human annotators, every frame of an episode is labelled with its class, including the
/// onset and offset frames whose faces are still close to neutral: those frames are ambiguous alone
/// but not next to their neighbours, which is what a temporal model can exploit.</para></summary>
public sealed class ExpressionTimeline
{
    /// <summary>Shortest and longest segment, in frames.</summary>
    public const int MinSegment = 10, MaxSegment = 100;

    public IReadOnlyList<ExpressionSegment> Segments { get; }
    public int FrameCount { get; }

    ExpressionTimeline(IReadOnlyList<ExpressionSegment> segments, int frameCount)
    {
        Segments = segments;
        FrameCount = frameCount;
    }

    /// <summary>Draws a timeline of <paramref name="frameCount"/> frames. Expression classes come from
    /// <paramref name="deck"/>, shared across tracks so that all classes appear about equally often.</summary>
    public static ExpressionTimeline Generate(int frameCount, SeededRandom rng, ExpressionDeck deck)
    {
        var segments = new List<ExpressionSegment>();
        int start = 0;
        bool neutralNext = rng.Chance(0.35);
        while (start < frameCount)
        {
            // Lengths skewed towards the short end, as in real footage.
            int length = MinSegment + (int)((MaxSegment - MinSegment + 1) * Math.Pow(rng.NextDouble(), 1.4));
            int left = frameCount - start;
            // Never leave a stub shorter than a segment at the end.
            if (left - length < MinSegment)
                length = left <= MaxSegment ? left : left - MinSegment;
            var expression = neutralNext ? Expression.Neutral : deck.Next();
            if (expression == Expression.Neutral)
                segments.Add(new ExpressionSegment(start, length, expression, 0, 0, 0, 0));
            else
            {
                int onset = Math.Clamp((int)Math.Round(length * rng.Uniform(0.08, 0.2)), 2, 10);
                int offset = Math.Clamp((int)Math.Round(length * rng.Uniform(0.08, 0.2)), 2, 10);
                segments.Add(new ExpressionSegment(start, length, expression, onset, offset,
                    StartIntensity: rng.Uniform(0.12, 0.3), Peak: rng.Uniform(0.8, 1.0)));
            }
            start += length;
            // After an expression, often back to neutral; sometimes straight into another expression.
            neutralNext = expression != Expression.Neutral && rng.Chance(0.45);
        }
        return new ExpressionTimeline(segments, frameCount);
    }

    /// <summary>The segment containing a 0-based frame.</summary>
    public ExpressionSegment SegmentAt(int frame)
    {
        foreach (var s in Segments)
            if (frame < s.Start + s.Length) return s;
        throw new ArgumentOutOfRangeException(nameof(frame), frame, "Frame is past the end of the timeline.");
    }

    /// <summary>Visible intensity of the expression at a 0-based frame: a smooth ramp from the segment's
    /// start intensity to its peak over the onset, the peak over the apex, and back down over the offset.</summary>
    public double IntensityAt(int frame)
    {
        var s = SegmentAt(frame);
        if (s.Expression == Expression.Neutral) return 0;
        int k = frame - s.Start;
        double ramp = 1;
        if (k < s.Onset)
            ramp = k / (double)s.Onset;                     // first frame at the start intensity
        else if (k >= s.Length - s.Offset)
            ramp = (s.Length - 1 - k) / (double)s.Offset;   // last frame back at the start intensity
        ramp = ramp * ramp * (3 - 2 * ramp); // smoothstep: slow start, slow arrival at the apex
        return s.StartIntensity + (s.Peak - s.StartIntensity) * ramp;
    }
}
