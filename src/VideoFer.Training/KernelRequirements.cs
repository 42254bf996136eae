using VideoFer.Models.Runtime;
using VideoFer.Training.Config;

namespace VideoFer.Training;

/// <summary>The kernels a training run relies on, checked on this CPU before it trains: a kernel computed wrong
/// gives NaN losses or wrong weights many iterations later, so it is refused at the start in one line instead.</summary>
public static class KernelRequirements
{
    /// <summary>The self-check's checks that <paramref name="config"/>'s network needs.</summary>
    public static IReadOnlyList<KernelCheck> For(TrainConfig config) =>
        KernelSelfCheck.For(cbam: config.Arch.Contains("cbam", StringComparison.OrdinalIgnoreCase),
            clips: config.Stage == TrainStage.Clips, channelsLast: config.ChannelsLast);

    /// <summary>Runs <paramref name="checks"/> (by default those <paramref name="config"/> needs) at libtorch's
    /// current thread count; throws a <see cref="VideoFerException"/> naming the first wrong kernel and its
    /// workaround. Returns the verdicts.</summary>
    public static IReadOnlyList<KernelVerdict> Verify(TrainConfig config, IReadOnlyList<KernelCheck>? checks = null)
    {
        var verdicts = KernelSelfCheck.Run(checks ?? For(config));
        if (verdicts.FirstOrDefault(v => !v.Right) is { } wrong)
        {
            var cpu = CpuFeatures.Detect();
            throw new VideoFerException(
                $"this CPU ({cpu.Model}{(cpu.Family is int f ? $", family {f} model {cpu.ModelNumber}" : "")}) computes a kernel this run needs wrong: " +
                $"{wrong.Describe()}; training would give NaN losses or wrong weights. Workaround: {wrong.IfWrong}. " +
                "`videofer info` checks every kernel; --set kernel_check=false trains anyway");
        }
        return verdicts;
    }
}
