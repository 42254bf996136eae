using VideoFer.Formats;

namespace VideoFer.Datasets.AffectNet;

/// <summary>The per-image annotation files of the 2021 AffectNet release: <c>&lt;id&gt;_exp.npy</c> holds
/// one expression code 0..7, <c>_val</c>/<c>_aro</c> one number each; each a 0-d or one-element array,
/// numeric or (in some copies) a string.</summary>
public static class AffectNetNpy
{
    const int MaxCode = 7;

    /// <summary>The expression code of an <c>_exp.npy</c> file's content.</summary>
    public static int ParseExpression(NpyArray array, string path) =>
        array.AsInteger() is int code && code is >= 0 and <= MaxCode
            ? code
            : throw VideoFerException.InFile(path,
                $"expected one expression code from 0 to {MaxCode}, got {Describe(array)}");

    /// <summary>Reads an <c>_exp.npy</c> file; null (after a warning) in lenient mode when it is malformed.</summary>
    public static int? ReadExpression(string path, ReadOptions options)
    {
        try
        {
            return ParseExpression(NpyReader.Read(path), path);
        }
        catch (VideoFerException e) when (options.Lenient)
        {
            options.Warning?.Invoke($"{e.Message}; image skipped");
            return null;
        }
    }

    /// <summary>A valence or arousal file; NaN if it does not exist (or, leniently, is malformed).</summary>
    public static double ReadOptionalNumber(string path, ReadOptions options)
    {
        if (!File.Exists(path))
            return double.NaN;
        try
        {
            var array = NpyReader.Read(path);
            return array.AsNumber() ?? throw VideoFerException.InFile(path, $"expected one number, got {Describe(array)}");
        }
        catch (VideoFerException e) when (options.Lenient)
        {
            options.Warning?.Invoke($"{e.Message}; value ignored");
            return double.NaN;
        }
    }

    static string Describe(NpyArray array) =>
        array.Count != 1 ? $"an array of {array.Count} values"
        : array.Strings != null ? $"the string {TextLines.Quote(array.Strings[0])}"
        : array.Numbers![0].ToString(System.Globalization.CultureInfo.InvariantCulture);
}
