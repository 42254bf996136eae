using System.Text;

namespace VideoFer.Tests.Support;

/// <summary>The ways a text file may have been mangled by other tools, all of which readers must accept.</summary>
public enum TextVariant { Plain, Crlf, Bom, TrailingBlankLines, NoFinalNewline, CrlfBomTrailing }

public static class TextVariants
{
    public static readonly TheoryData<TextVariant> All = new(Enum.GetValues<TextVariant>());

    /// <summary>Renders lines as file bytes in the given variant.</summary>
    public static byte[] Render(IEnumerable<string> lines, TextVariant variant)
    {
        bool crlf = variant is TextVariant.Crlf or TextVariant.CrlfBomTrailing;
        string nl = crlf ? "\r\n" : "\n";
        var text = string.Join(nl, lines);
        if (variant != TextVariant.NoFinalNewline)
            text += nl;
        if (variant is TextVariant.TrailingBlankLines or TextVariant.CrlfBomTrailing)
            text += nl + "  " + nl + nl;
        var bytes = Encoding.UTF8.GetBytes(text);
        return variant is TextVariant.Bom or TextVariant.CrlfBomTrailing ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }
}
