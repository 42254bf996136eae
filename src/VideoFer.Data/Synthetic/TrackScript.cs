using OpenCvSharp;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Writes the "script" of one face track: for every frame, the expression and its intensity
/// (from an <see cref="ExpressionTimeline"/>), head motion, lighting, blinks, talking, occlusions,
/// blur, missing face detections and unannotated frames. Rendering the script gives the images.
/// <para>Nuisances are smooth in time (random walks) or short bursts, as in real footage, so a frame
/// that is hard on its own usually has easier neighbours.</para></summary>
public static class TrackScript
{
    /// <summary>Generates the frames of one track of <paramref name="frameCount"/> frames.</summary>
    public static IReadOnlyList<SyntheticFrame> Generate(int frameCount, FaceIdentity id, ExpressionTimeline timeline, SeededRandom rng)
    {
        if (timeline.FrameCount != frameCount)
            throw new ArgumentException("The timeline must cover the track.", nameof(timeline));

        var hasImage = Bursts(frameCount, rng, startProbability: 0.006, minLength: 1, maxLength: 10, invert: true);
        if (rng.Chance(0.25)) // the face leaves the picture before the end of the video
            for (int i = frameCount - rng.NextInclusive(3, 15); i < frameCount; i++)
                if (i >= 0) hasImage[i] = false;
        var unannotated = Bursts(frameCount, rng, startProbability: 0.004, minLength: 2, maxLength: 12, invert: false);
        var occluded = Bursts(frameCount, rng, startProbability: 0.012, minLength: 1, maxLength: 4, invert: false);

        double noise = rng.Uniform(2, 7);
        double baseGain = rng.Uniform(0.75, 1.15), warmth = rng.Uniform(-1, 1);
        var pose = new HeadPose(0, 0, rng.Uniform(0.92, 1.02), 0, 0);
        var poseTarget = pose;
        double gradX = rng.Uniform(-0.4, 0.4), gradY = rng.Uniform(-0.2, 0.2), gainWalk = 0;
        int nextBlink = rng.NextInclusive(10, 80), blinkFrame = -1;
        int talkLeft = 0;
        double talkPhase = 0, talkSpeed = 0, talkAmplitude = 0;
        Occluder? occluder = null;
        bool unlabelMissing = rng.Chance(0.6);

        var frames = new List<SyntheticFrame>(frameCount);
        for (int i = 0; i < frameCount; i++)
        {
            // Head motion: drift towards a target pose that changes now and then.
            if (rng.Chance(0.03))
                poseTarget = new HeadPose(rng.Uniform(-0.05, 0.05), rng.Uniform(-0.04, 0.04), rng.Uniform(0.9, 1.04), rng.Uniform(-10, 10), rng.Uniform(-0.45, 0.45));
            pose = new HeadPose(
                Walk(pose.OffsetX, poseTarget.OffsetX, 0.004, rng), Walk(pose.OffsetY, poseTarget.OffsetY, 0.003, rng),
                Walk(pose.Scale, poseTarget.Scale, 0.004, rng), Walk(pose.Roll, poseTarget.Roll, 0.6, rng), Walk(pose.Yaw, poseTarget.Yaw, 0.02, rng));

            // Light: slow drift, and now and then a sudden change (a lamp, a cut to another camera).
            if (rng.Chance(0.01))
            {
                gradX = rng.Uniform(-0.5, 0.5);
                gradY = rng.Uniform(-0.3, 0.3);
                baseGain = rng.Uniform(0.65, 1.2);
            }
            gainWalk = 0.95 * gainWalk + 0.01 * rng.NextGaussian();
            var light = new Lighting(baseGain + gainWalk, gradX, gradY, warmth);

            // Expression.
            var segment = timeline.SegmentAt(i);
            double intensity = timeline.IntensityAt(i);
            if (intensity > 0)
                intensity = Math.Clamp(intensity + 0.03 * rng.NextGaussian(), 0, 1);
            var shape = id.RestingFace + intensity * ExpressionActions.For(segment.Expression) + Jitter(rng);

            // Talking: the mouth opens and closes for a while, whatever the expression.
            if (talkLeft == 0 && rng.Chance(0.015))
            {
                talkLeft = rng.NextInclusive(15, 40);
                talkSpeed = rng.Uniform(0.6, 1.2);
                talkAmplitude = rng.Uniform(0.03, 0.07);
            }
            if (talkLeft > 0)
            {
                talkLeft--;
                talkPhase += talkSpeed;
                shape = shape with { MouthOpen = shape.MouthOpen + talkAmplitude * (0.5 + 0.5 * Math.Sin(talkPhase)) };
            }

            var expressed = shape;

            // Blinks every few seconds: eyes close over three frames.
            bool blink = false;
            if (i == nextBlink) blinkFrame = i;
            if (blinkFrame >= 0)
            {
                int k = i - blinkFrame;
                double[] closure = [0.45, 0.05, 0.5];
                if (k < closure.Length)
                {
                    shape = shape with { EyeOpen = shape.EyeOpen * closure[k] };
                    blink = k == 1;
                }
                else
                {
                    blinkFrame = -1;
                    nextBlink = i + rng.NextInclusive(40, 100);
                }
            }

            // Occluders last a few frames and stay put while they do.
            if (!occluded[i]) occluder = null;
            else occluder ??= SampleOccluder(id, rng);

            double blur = rng.Chance(0.02) ? rng.Uniform(1.2, 2.5) : 0;
            var scene = new FrameScene(shape, pose, light, occluder, blur, noise);
            int label = (!hasImage[i] && unlabelMissing) || unannotated[i] ? -1 : (int)segment.Expression;
            frames.Add(new SyntheticFrame(i + 1, label, segment.Expression, intensity, hasImage[i], occluded[i], blink, scene, expressed));
        }
        return frames;
    }

    static double Walk(double value, double target, double step, SeededRandom rng) =>
        value + 0.08 * (target - value) + step * rng.NextGaussian();

    static FaceShape Jitter(SeededRandom rng) => FaceShape.Zero with
    {
        MouthSmile = 0.006 * rng.NextGaussian(),
        MouthWidth = 0.005 * rng.NextGaussian(),
        BrowRaise = 0.006 * rng.NextGaussian(),
        EyeOpen = 0.03 * rng.NextGaussian(),
    };

    /// <summary>Per-frame flags that are on in short bursts (or off in bursts when <paramref name="invert"/>).</summary>
    static bool[] Bursts(int n, SeededRandom rng, double startProbability, int minLength, int maxLength, bool invert)
    {
        var on = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (!rng.Chance(startProbability)) continue;
            int length = rng.NextInclusive(minLength, maxLength);
            for (int k = i; k < Math.Min(n, i + length); k++) on[k] = true;
            i += length;
        }
        if (invert)
            for (int i = 0; i < n; i++) on[i] = !on[i];
        return on;
    }

    /// <summary>A hand over the mouth, something across the eyes, or a blob anywhere on the face.</summary>
    internal static Occluder SampleOccluder(FaceIdentity id, SeededRandom rng)
    {
        double roll = rng.Uniform(-30, 30);
        double u = rng.NextDouble();
        if (u < 0.5)
            return new Occluder(OccluderKind.Hand, rng.Uniform(-0.15, 0.15), id.MouthY + rng.Uniform(-0.05, 0.12),
                rng.Uniform(0.32, 0.45), rng.Uniform(0.22, 0.32), roll, Colors.Scale(id.Skin, rng.Uniform(0.85, 1.1)));
        if (u < 0.75)
            return new Occluder(OccluderKind.Bar, rng.Uniform(-0.1, 0.1), id.EyeY + rng.Uniform(-0.1, 0.05),
                rng.Uniform(0.5, 0.9), rng.Uniform(0.06, 0.12), roll * 0.3, RandomColor(rng));
        return new Occluder(OccluderKind.Blob, rng.Uniform(-0.45, 0.45), rng.Uniform(-0.4, 0.6),
            rng.Uniform(0.2, 0.35), rng.Uniform(0.15, 0.3), roll, RandomColor(rng));
    }

    static Scalar RandomColor(SeededRandom rng) => new(rng.Uniform(0, 255), rng.Uniform(0, 255), rng.Uniform(0, 255));
}
