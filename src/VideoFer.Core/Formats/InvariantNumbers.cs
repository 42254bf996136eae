using System.Globalization;

namespace VideoFer.Formats;

/// <summary>Culture-independent number parsing for the dataset formats (a German locale must not change what "0.5" means).</summary>
public static class InvariantNumbers
{
    /// <summary>An optionally signed decimal integer, surrounding whitespace allowed.</summary>
    public static bool TryInt(string text, out int value) =>
        int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A finite floating-point number, surrounding whitespace allowed.</summary>
    public static bool TryDouble(string text, out double value) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);
}
