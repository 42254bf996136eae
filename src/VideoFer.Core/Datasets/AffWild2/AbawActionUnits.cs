using System.Globalization;
using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>The action units of each edition's AU task and the header lines naming them
/// (see docs/ABAW_TASKS.md): 8 in 2020, 12 from 2021 on.</summary>
public static class AbawActionUnits
{
    /// <summary>ABAW 2020 (FG): AU1, AU2, AU4, AU6, AU12, AU15, AU20, AU25.</summary>
    public static readonly IReadOnlyList<string> Abaw2020 = ["AU1", "AU2", "AU4", "AU6", "AU12", "AU15", "AU20", "AU25"];

    /// <summary>ABAW 2021 to 2024: AU1, AU2, AU4, AU6, AU7, AU10, AU12, AU15, AU23, AU24, AU25, AU26.</summary>
    public static readonly IReadOnlyList<string> Since2021 = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    /// <summary>The AUs an edition's files name, in file order.</summary>
    public static IReadOnlyList<string> ActionUnits(this AffWild2Edition edition) =>
        edition == AffWild2Edition.Abaw2020 ? Abaw2020 : Since2021;

    /// <summary>The header line of an AU file for these AUs.</summary>
    public static string Header(IReadOnlyList<string> names) => string.Join(',', names);

    /// <summary>The AU names of a header line, normalised to <c>AU&lt;number&gt;</c> (letter case, spaces
    /// and leading zeros forgiven), or a problem: a name that is not AU followed by a number, or one named twice.</summary>
    public static bool TryParseHeader(string line, out IReadOnlyList<string> names, out string problem)
    {
        var parsed = new List<string>();
        names = parsed;
        problem = "";
        foreach (var part in line.Split(','))
        {
            var name = part.Trim();
            if (!TryNormalise(name, out var normalised))
            {
                problem = $"expected AU names like AU1,AU2,... (AU followed by a number), got {TextLines.Quote(name.Length == 0 ? part : name)} in the header {TextLines.Quote(line, 80)}";
                return false;
            }
            if (parsed.Contains(normalised))
            {
                problem = $"the header names {normalised} twice: {TextLines.Quote(line, 80)}";
                return false;
            }
            parsed.Add(normalised);
        }
        return true;
    }

    /// <summary>The AU names of a header line, or null when it is not one (see <see cref="TryParseHeader"/>).</summary>
    public static IReadOnlyList<string>? ParseHeader(string line) => TryParseHeader(line, out var names, out _) ? names : null;

    static bool TryNormalise(string name, out string normalised)
    {
        normalised = "";
        if (name.Length < 3 || name.Length > 12 || !name.StartsWith("AU", StringComparison.OrdinalIgnoreCase))
            return false;
        var digits = name.AsSpan(2);
        foreach (char c in digits)
            if (c is < '0' or > '9')
                return false;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            return false;
        normalised = "AU" + number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Null when <paramref name="got"/> is exactly <paramref name="expected"/>; otherwise what
    /// differs: the AUs missing, the AUs not in the list, or that the order differs.</summary>
    public static string? Mismatch(IReadOnlyList<string> got, IReadOnlyList<string> expected)
    {
        if (got.SequenceEqual(expected))
            return null;
        var missing = expected.Except(got).ToList();
        var extra = got.Except(expected).ToList();
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {string.Join(", ", missing)}");
        if (extra.Count > 0) parts.Add($"not in that list: {string.Join(", ", extra)}");
        if (parts.Count == 0) parts.Add("the same AUs in another order");
        return string.Join("; ", parts);
    }
}
