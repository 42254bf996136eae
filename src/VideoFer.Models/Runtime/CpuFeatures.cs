using X86 = System.Runtime.Intrinsics.X86;
using System.Text.Json.Serialization;

namespace VideoFer.Models.Runtime;

/// <summary>The CPU the figures come from: its model and the vector instructions that decide the
/// ratios (fp32 FMA width, int8 dot products). <see cref="Flags"/> are what the kernel reports in
/// /proc/cpuinfo (what libtorch's oneDNN and ONNX Runtime's MLAS dispatch on); <see cref="DotNet"/> what
/// .NET's System.Runtime.Intrinsics.X86 says it may use (it can be fewer: a runtime that does not know
/// an extension, or one disabled with DOTNET_Enable* settings).</summary>
public sealed record CpuFeatures(
    string Model, string? Vendor, int? Family, int? ModelNumber,
    bool Avx2, bool Fma,
    [property: JsonPropertyName("avx512f")] bool Avx512F,
    [property: JsonPropertyName("avx512bw")] bool Avx512BW,
    [property: JsonPropertyName("avx512vl")] bool Avx512VL,
    [property: JsonPropertyName("avx512_vnni")] bool Avx512Vnni,
    [property: JsonPropertyName("avx_vnni")] bool AvxVnni,
    [property: JsonPropertyName("avx512_bf16")] bool Avx512Bf16,
    [property: JsonPropertyName("amx")] bool Amx,
    IReadOnlyList<string> DotNet)
{
    /// <summary>One line for tables: "model (AVX2 FMA AVX-512F/BW/VL VNNI(512) AMX)".</summary>
    public string Summary
    {
        get
        {
            var names = new List<string>();
            if (Avx2) names.Add("AVX2");
            if (Fma) names.Add("FMA");
            if (Avx512F) names.Add("AVX-512F" + (Avx512BW ? "/BW" : "") + (Avx512VL ? "/VL" : ""));
            if (Avx512Vnni) names.Add("AVX512-VNNI");
            if (AvxVnni) names.Add("AVX-VNNI");
            if (Avx512Bf16) names.Add("AVX512-BF16");
            if (Amx) names.Add("AMX");
            return $"{Model} ({(names.Count > 0 ? string.Join(" ", names) : "no AVX2")})";
        }
    }

    /// <summary>This machine's CPU, from /proc/cpuinfo (the first processor) and .NET's flags.</summary>
    public static CpuFeatures Detect() => Parse(ReadCpuInfo(), DotNetSupported());

    /// <summary>The features of /proc/cpuinfo's text (its first processor block).</summary>
    public static CpuFeatures Parse(string? cpuinfo, IReadOnlyList<string> dotNet)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (cpuinfo ?? "").Split('\n'))
        {
            if (line.Trim().Length == 0 && fields.Count > 0) break; // the end of the first processor
            int colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        var flags = fields.TryGetValue("flags", out var f) ? f.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : [];
        string model = fields.GetValueOrDefault("model name") ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        static int? Number(string? s) => int.TryParse(s, out var n) ? n : null;
        return new CpuFeatures(model, fields.GetValueOrDefault("vendor_id"), Number(fields.GetValueOrDefault("cpu family")), Number(fields.GetValueOrDefault("model")),
            flags.Contains("avx2"), flags.Contains("fma"), flags.Contains("avx512f"), flags.Contains("avx512bw"), flags.Contains("avx512vl"),
            flags.Contains("avx512_vnni"), flags.Contains("avx_vnni"), flags.Contains("avx512_bf16"),
            flags.Contains("amx_int8") || flags.Contains("amx_tile"), dotNet);
    }

    static string? ReadCpuInfo()
    {
        try { return File.ReadAllText("/proc/cpuinfo"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The x86 extensions .NET reports as supported here.</summary>
    public static IReadOnlyList<string> DotNetSupported()
    {
        var supported = new List<string>();
        void Add(string name, bool yes) { if (yes) supported.Add(name); }
        Add("Avx2", X86.Avx2.IsSupported);
        Add("Fma", X86.Fma.IsSupported);
        Add("Avx512F", X86.Avx512F.IsSupported);
        Add("Avx512BW", X86.Avx512BW.IsSupported);
        Add("Avx512F.VL", X86.Avx512F.VL.IsSupported);
        Add("AvxVnni", X86.AvxVnni.IsSupported);
        Add("Avx10v1", X86.Avx10v1.IsSupported);
        return supported;
    }
}
