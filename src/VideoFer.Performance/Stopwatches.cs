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

    /// <summary>Like <see cref="Time"/> for several actions whose runs alternate (a, b, c, a, b, c, ...),
    /// so that a change in machine load hits them alike.</summary>
    public static Timing[] TimeAlternating(int warmup, int repeats, params Action[] actions)
    {
        for (int i = 0; i < warmup; i++)
            foreach (var action in actions) action();
        var seconds = actions.Select(_ => new List<double>(repeats)).ToArray();
        for (int i = 0; i < repeats; i++)
            for (int k = 0; k < actions.Length; k++)
            {
                long start = Stopwatch.GetTimestamp();
                actions[k]();
                seconds[k].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        return seconds.Select(Timing.Of).ToArray();
    }
}
