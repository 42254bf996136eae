namespace VideoFer.Data.Randomness;

/// <summary>A small, fast, seedable random generator (xoshiro256** seeded through SplitMix64).
/// <para>VideoFer uses it instead of <see cref="System.Random"/> so that a seed gives the same
/// stream on every runtime and machine, and so that independent streams can be derived from a
/// seed and a key (<see cref="Derive"/>) without sharing state between threads.</para></summary>
public sealed class SeededRandom
{
    ulong _s0, _s1, _s2, _s3;
    double? _spareGaussian;

    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent generator for (seed, keys...): the same keys always give the same stream,
    /// whatever else was drawn before. Used to give each video, batch or clip its own stream.</summary>
    public static SeededRandom Derive(ulong seed, params ReadOnlySpan<long> keys)
    {
        ulong h = seed ^ 0x5DEECE66DUL;
        foreach (long k in keys)
        {
            ulong x = h ^ (ulong)k;
            h = SplitMix(ref x) ^ (h << 1);
        }
        return new SeededRandom(h);
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = Rotl(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = Rotl(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)((NextUInt64() >> 33) % (ulong)maxExclusive);
    }

    /// <summary>Uniform integer in [minInclusive, maxInclusive].</summary>
    public int NextInclusive(int minInclusive, int maxInclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInclusive, minInclusive);
        return minInclusive + Next(maxInclusive - minInclusive + 1);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal sample (Box-Muller, the spare value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1, u2;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Approximately standard normal (sum of four uniform 16-bit draws, Irwin-Hall): one draw
    /// and no transcendental functions, for per-pixel sensor noise where the tails do not matter.</summary>
    public double NextApproxGaussian()
    {
        ulong u = NextUInt64();
        long sum = (long)(u & 0xFFFF) + (long)((u >> 16) & 0xFFFF) + (long)((u >> 32) & 0xFFFF) + (long)(u >> 48);
        // Mean 4 * 32767.5, standard deviation sqrt(4 / 12) * 65536.
        return (sum - 131070.0) * (1.0 / 37837.23);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
