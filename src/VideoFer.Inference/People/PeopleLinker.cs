namespace VideoFer.Inference.People;

/// <summary>One track as the linker sees it: its time on screen and its descriptor (unit length), or none when
/// the track has too few good faces to be compared (then it stays a person of its own).</summary>
public sealed record LinkableTrack(int Track, int FirstFrame, int LastFrame, float[]? Descriptor)
{
    public bool OverlapsInTime(LinkableTrack other) => FirstFrame <= other.LastFrame && other.FirstFrame <= LastFrame;
}

/// <summary>A merge the linker made, or the closest one it refused: the two groups' tracks and their mean distance.</summary>
public sealed record LinkDecision(IReadOnlyList<int> Left, IReadOnlyList<int> Right, double Distance, bool Merged);

/// <summary>The groups of tracks found to be one person each, and how they were decided.</summary>
public sealed record LinkResult(IReadOnlyList<IReadOnlyList<int>> Groups, IReadOnlyList<LinkDecision> Decisions);

/// <summary>Links tracks into people: agglomerative clustering with average linkage on the cosine distance of the
/// tracks' descriptors (1 - cos: 0 for the same direction, 1 for unrelated), merging the closest two groups while
/// their mean distance is below a threshold. Two groups are never merged when any of their tracks share a moment on
/// screen (one person is in one place at a time), and a track without a descriptor is never merged. Average
/// linkage rather than single linkage, so that one look-alike pair cannot chain two people together.</summary>
public static class PeopleLinker
{
    /// <summary>The default threshold on the mean cosine distance (docs/FACES.md: measured distances).</summary>
    public const double DefaultThreshold = 0.28;

    public static double CosineDistance(float[] a, float[] b)
    {
        double dot = 0;
        for (int i = 0; i < a.Length; i++) dot += (double)a[i] * b[i];
        return 1 - dot;
    }

    /// <summary>The mean of unit-length copies of <paramref name="embeddings"/>, itself scaled to unit length.</summary>
    public static float[] MeanDescriptor(IReadOnlyList<float[]> embeddings)
    {
        int d = embeddings[0].Length;
        var sum = new double[d];
        foreach (var e in embeddings)
        {
            double norm = Math.Sqrt(e.Sum(v => (double)v * v));
            if (norm <= 0) continue;
            for (int i = 0; i < d; i++) sum[i] += e[i] / norm;
        }
        double total = Math.Sqrt(sum.Sum(v => v * v));
        return sum.Select(v => total > 0 ? (float)(v / total) : 0f).ToArray();
    }

    public static LinkResult Link(IReadOnlyList<LinkableTrack> tracks, double threshold = DefaultThreshold)
    {
        int n = tracks.Count;
        var members = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
        var alive = Enumerable.Repeat(true, n).ToArray();
        // Mean pairwise distance between groups (Lance-Williams update for average linkage), and whether
        // any two of their tracks overlap in time or lack a descriptor (then the pair can never merge).
        var mean = new double[n, n];
        var blocked = new bool[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                var (a, b) = (tracks[i], tracks[j]);
                bool never = a.Descriptor is null || b.Descriptor is null || a.OverlapsInTime(b);
                blocked[i, j] = blocked[j, i] = never;
                mean[i, j] = mean[j, i] = never ? double.PositiveInfinity : CosineDistance(a.Descriptor!, b.Descriptor!);
            }

        var decisions = new List<LinkDecision>();
        List<int> Tracks(int g) => members[g].Select(k => tracks[k].Track).Order().ToList();
        while (true)
        {
            int bi = -1, bj = -1;
            double best = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                if (!alive[i]) continue;
                for (int j = i + 1; j < n; j++)
                    if (alive[j] && !blocked[i, j] && mean[i, j] < best) (best, bi, bj) = (mean[i, j], i, j);
            }
            if (bi < 0) break;
            if (best >= threshold)
            {
                decisions.Add(new LinkDecision(Tracks(bi), Tracks(bj), best, Merged: false));
                break;
            }
            decisions.Add(new LinkDecision(Tracks(bi), Tracks(bj), best, Merged: true));
            int si = members[bi].Count, sj = members[bj].Count;
            for (int k = 0; k < n; k++)
            {
                if (!alive[k] || k == bi || k == bj) continue;
                bool never = blocked[bi, k] || blocked[bj, k];
                blocked[bi, k] = blocked[k, bi] = never;
                mean[bi, k] = mean[k, bi] = never ? double.PositiveInfinity : (si * mean[bi, k] + sj * mean[bj, k]) / (si + sj);
            }
            members[bi].AddRange(members[bj]);
            alive[bj] = false;
        }
        var groups = Enumerable.Range(0, n).Where(i => alive[i])
            .Select(i => (IReadOnlyList<int>)Tracks(i))
            .OrderBy(g => g.Min(t => tracks.First(x => x.Track == t).FirstFrame))
            .ToList();
        return new LinkResult(groups, decisions);
    }
}
