using VideoFer.Datasets.AffWild2;

namespace VideoFer.Submissions;

/// <summary>The action units of each edition's AU challenge, in annotation-header order.</summary>
public static class AbawActionUnitNames
{
    /// <summary>ABAW 2020 (FG): 8 AUs.</summary>
    public static readonly IReadOnlyList<string> Abaw2020 = ["AU1", "AU2", "AU4", "AU6", "AU12", "AU15", "AU20", "AU25"];

    /// <summary>ABAW 2021 onwards: 12 AUs.</summary>
    public static readonly IReadOnlyList<string> From2021 = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    public static IReadOnlyList<string> For(AffWild2Edition edition) => edition == AffWild2Edition.Abaw2020 ? Abaw2020 : From2021;

    /// <summary>The header line of an AU file: the names comma-separated.</summary>
    public static string Header(IReadOnlyList<string> names) => string.Join(",", names);

    /// <summary>Parses an AU header (names like AU12, unique); null if the line is not one.</summary>
    public static IReadOnlyList<string>? ParseHeader(string line)
    {
        var names = line.Split(',').Select(n => n.Trim()).ToArray();
        foreach (var name in names)
            if (name.Length < 3 || !name.StartsWith("AU", StringComparison.OrdinalIgnoreCase) || !name[2..].All(char.IsAsciiDigit))
                return null;
        var canonical = names.Select(n => "AU" + n[2..]).ToArray();
        return canonical.Distinct().Count() == canonical.Length ? canonical : null;
    }
}
