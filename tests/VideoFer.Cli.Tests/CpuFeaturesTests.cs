using VideoFer.Models.Runtime;

namespace VideoFer.Cli.Tests;

/// <summary>The CPU features the bench records, read from /proc/cpuinfo text.</summary>
public class CpuFeaturesTests
{
    const string Sample = """
        processor	: 0
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 207
        model name	: Intel(R) Xeon(R) Processor
        flags		: fpu sse2 avx2 fma avx512f avx512bw avx512vl avx512_vnni avx512_bf16 amx_tile amx_int8 avx_vnni

        processor	: 1
        model name	: Another CPU
        flags		: fpu sse2
        """;

    [Fact]
    public void TheFirstProcessorsFlagsGiveTheFeatures()
    {
        var c = CpuFeatures.Parse(Sample.Replace("\r", ""), ["Avx2"]);
        Assert.Equal("Intel(R) Xeon(R) Processor", c.Model);
        Assert.Equal(("GenuineIntel", 6, 207), (c.Vendor, c.Family, c.ModelNumber));
        Assert.True(c.Avx2 && c.Fma && c.Avx512F && c.Avx512BW && c.Avx512VL && c.Avx512Vnni && c.AvxVnni && c.Avx512Bf16 && c.Amx);
        Assert.Equal("Intel(R) Xeon(R) Processor (AVX2 FMA AVX-512F/BW/VL AVX512-VNNI AVX-VNNI AVX512-BF16 AMX)", c.Summary);
    }

    [Fact]
    public void AnAvx2OnlyCpuHasNoAvx512OrVnni()
    {
        var c = CpuFeatures.Parse("model name\t: AMD EPYC\nflags\t\t: sse2 avx2 fma\n", []);
        Assert.True(c.Avx2 && c.Fma);
        Assert.False(c.Avx512F || c.Avx512Vnni || c.AvxVnni || c.Amx);
        Assert.Equal("AMD EPYC (AVX2 FMA)", c.Summary);
    }

    /// <summary>On this machine: the features agree with the flags line of /proc/cpuinfo read directly.</summary>
    [Fact]
    public void ThisMachinesFeaturesFollowProcCpuinfo()
    {
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var c = CpuFeatures.Detect();
        Assert.Equal(flags.Contains("avx2"), c.Avx2);
        Assert.Equal(flags.Contains("avx512f"), c.Avx512F);
        Assert.Equal(flags.Contains("avx512_vnni"), c.Avx512Vnni);
        Assert.Equal(flags.Contains("amx_int8") || flags.Contains("amx_tile"), c.Amx);
        // .NET never claims an extension the kernel does not report.
        if (c.DotNet.Contains("Avx512F")) Assert.True(c.Avx512F);
        if (c.DotNet.Contains("AvxVnni")) Assert.True(c.AvxVnni);
    }
}
