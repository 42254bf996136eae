using System.Globalization;
using System.Text;
using OpenCvSharp;
using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Writes AffectNet-style stills in the original release layout: images under
/// <c>Manually_Annotated_Images/&lt;n&gt;/&lt;hash&gt;.jpg</c>, lists in <c>Manually_Annotated_file_lists/</c>
/// (<c>training.csv</c> with a header row, <c>validation.csv</c> without one, as in the real release).
/// <para>About 92% of images show one of the 7 basic expressions, dealt evenly, at medium to full
/// intensity; the rest use codes 7..10 (Contempt, None, Uncertain, No-Face) so that readers meet them.</para></summary>
internal static class AffectNetSynthWriter
{
    sealed record Item(int Index, int Code, bool Validation, string RelativePath);

    /// <summary>Renders <paramref name="count"/> images under <paramref name="root"/>/AffectNet and writes both lists.</summary>
    public static void Write(string root, int count, SynthOptions options, Action onImage, CancellationToken ct)
    {
        if (count == 0) return;
        string affectNet = Path.Combine(root, SynthLayout.AffectNetRoot);
        string lists = Path.Combine(affectNet, SynthLayout.AffectNetLists);
        string images = Path.Combine(affectNet, SynthLayout.AffectNetImages);
        Directory.CreateDirectory(lists);

        var plan = SeededRandom.Derive(options.Seed, SynthPlan.StreamAffectNet, -1);
        var basic = new List<int>();
        var items = new Item[count];
        for (int i = 0; i < count; i++)
        {
            int code;
            if (plan.Chance(0.08)) code = plan.NextInclusive(AffectNetCodes.Contempt, AffectNetCodes.NoFace);
            else
            {
                if (basic.Count == 0) { basic.AddRange(Enumerable.Range(0, 7)); plan.Shuffle(basic); }
                code = basic[^1];
                basic.RemoveAt(basic.Count - 1);
            }
            // Real file names are 40+ hex digits in numbered folders.
            var name = new StringBuilder();
            for (int k = 0; k < 3; k++) name.Append(plan.NextUInt64().ToString("x16", CultureInfo.InvariantCulture));
            items[i] = new Item(i, code, plan.Chance(0.15), $"{1 + i / 500}/{name.ToString(0, 44)}.jpg");
        }

        var rows = new string[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = ct }, i =>
        {
            rows[i] = Render(items[i], images, options);
            onImage();
        });

        var training = new StringBuilder(SynthLayout.AffectNetHeader).Append('\n');
        var validation = new StringBuilder();
        foreach (var item in items)
            (item.Validation ? validation : training).Append(rows[item.Index]).Append('\n');
        File.WriteAllText(Path.Combine(lists, "training.csv"), training.ToString());
        File.WriteAllText(Path.Combine(lists, "validation.csv"), validation.ToString());
    }

    static string Render(Item item, string imagesRoot, SynthOptions options)
    {
        var rng = SeededRandom.Derive(options.Seed, SynthPlan.StreamAffectNet, item.Index);
        var id = FaceIdentity.Sample(rng);
        var renderer = new FaceRenderer(options.Size);
        var pose = new HeadPose(rng.Uniform(-0.06, 0.06), rng.Uniform(-0.05, 0.05), rng.Uniform(0.85, 1.05), rng.Uniform(-15, 15), rng.Uniform(-0.6, 0.6));
        var light = new Lighting(rng.Uniform(0.65, 1.25), rng.Uniform(-0.5, 0.5), rng.Uniform(-0.3, 0.3), rng.Uniform(-1, 1));

        double intensity = rng.Uniform(0.6, 1.0);
        FaceShape action;
        // Valence and arousal are read off the drawn face as for the videos (FaceAffect), plus this
        // image's annotation noise; the draws are those the images were always made with, in the same order.
        (double V, double A)? noise;
        switch (item.Code)
        {
            case < 7:
                action = ExpressionActions.For((Expression)AffectNetCodes.ToAbaw[item.Code]);
                noise = (0.05 * rng.NextGaussian(), 0.05 * rng.NextGaussian());
                break;
            case AffectNetCodes.Contempt:
                action = ExpressionActions.Contempt;
                noise = (0.05 * rng.NextGaussian(), 0.05 * rng.NextGaussian());
                break;
            case AffectNetCodes.None:
                // Some other state: a random blend, weakly expressed.
                action = 0.5 * ExpressionActions.For((Expression)rng.NextInclusive(1, 6)) + 0.5 * ExpressionActions.For((Expression)rng.NextInclusive(1, 6));
                intensity = rng.Uniform(0.2, 0.5);
                noise = (rng.Uniform(-0.1, 0.1), rng.Uniform(-0.1, 0.1));
                break;
            default: // Uncertain and No-Face: affect unknown, as in AffectNet.
                action = ExpressionActions.For((Expression)rng.NextInclusive(0, 6));
                intensity = rng.Uniform(0.1, 0.4);
                noise = null;
                break;
        }
        var shape = id.RestingFace + intensity * action;
        var affect = noise is { } n
            ? AffectStyle.Plain.Affect(FaceAffect.Change(shape, id.RestingFace), n.V, n.A)
            : (-2.0, -2.0);
        Occluder? occluder = rng.Chance(0.1) ? TrackScript.SampleOccluder(id, rng) : null;
        var scene = new FrameScene(shape, pose, light, occluder, rng.Chance(0.05) ? rng.Uniform(1, 2) : 0, rng.Uniform(2, 8));

        using var image = item.Code == AffectNetCodes.NoFace ? renderer.RenderBackground(id) : renderer.Render(id, scene, null, rng);
        string path = Path.Combine(imagesRoot, item.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, JpegCodec.Encode(image));

        var inv = CultureInfo.InvariantCulture;
        var box = item.Code == AffectNetCodes.NoFace ? new Rect(0, 0, options.Size, options.Size) : FaceLandmarks.FaceBox(id, pose, options.Size);
        var landmarks = FaceLandmarks.Compute(id, shape, pose, options.Size);
        string lm = string.Join(';', landmarks.Select(p => $"{p.X.ToString("F2", inv)};{p.Y.ToString("F2", inv)}"));
        return string.Join(',', item.RelativePath, box.X.ToString(inv), box.Y.ToString(inv), box.Width.ToString(inv), box.Height.ToString(inv),
            lm, item.Code.ToString(inv), affect.Item1.ToString("F6", inv), affect.Item2.ToString("F6", inv));
    }
}
