namespace VideoFer.Training;

/// <summary>Per-iteration seeds. Every random choice of iteration i (which clips, which augmentation,
/// dropout masks) is seeded from (run seed, i, purpose), never from a generator carried across
/// iterations; so a run resumed from the checkpoint of iteration k repeats iterations k+1... exactly.</summary>
public static class Determinism
{
    public const ulong Sampling = 1, Augmentation = 2, Dropout = 3;

    /// <summary>SplitMix64 over the three inputs: well-mixed, cheap, the same on every platform.</summary>
    public static ulong Seed(int runSeed, long iteration, ulong purpose)
    {
        ulong z = (ulong)runSeed * 0x9E3779B97F4A7C15UL ^ (ulong)iteration * 0xBF58476D1CE4E5B9UL ^ purpose * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A System.Random for one purpose of one iteration.</summary>
    public static Random Random(int runSeed, long iteration, ulong purpose) =>
        new((int)(Seed(runSeed, iteration, purpose) & 0x7FFFFFFF));
}
