using System.Diagnostics;

namespace VideoFer.Performance;

static class Stopwatches
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then
    /// <paramref name="repeats"/> times timed.</summary>
    public static Timing Time(Action action, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++) action();
        var seconds = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return Timing.Of(seconds);
    }

    /// <summary>Like <see cref="Time"/> for two actions whose runs alternate (a, b, a, b, ...).</summary>
    public static (Timing A, Timing B) TimePair(Action a, Action b, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++) { a(); b(); }
        var sa = new List<double>(repeats);
        var sb = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            a();
            sa.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            start = Stopwatch.GetTimestamp();
            b();
            sb.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return (Timing.Of(sa), Timing.Of(sb));
    }
}
