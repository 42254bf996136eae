using System.Text;

namespace VideoFer.IO;

/// <summary>Turns a name taken from an input (a file stem, a folder name, a track label) into one safe
/// path segment: it can never be empty, <c>.</c> or <c>..</c>, never holds a separator or a control
/// character, never starts with a dot (VideoFer's own bookkeeping files do) and fits a file system's
/// name limit. Plain names pass unchanged, so outputs keep the names people expect.</summary>
public static class SafeName
{
    /// <summary>Longest name produced, in UTF-8 bytes; leaves room for suffixes such as <c>_left.txt</c>.</summary>
    public const int MaxBytes = 200;

    public static string Of(string? name)
    {
        var sb = new StringBuilder(name?.Length ?? 0);
        foreach (char c in name ?? "")
            sb.Append(c is '/' or '\\' || char.IsControl(c) ? '_' : c);
        string s = sb.ToString().Trim();
        // "", ".", "..", "..." and hidden names would address the folder itself, its parent or
        // VideoFer's own hidden files.
        if (s.Length == 0 || s[0] == '.') s = "_" + s;
        while (Encoding.UTF8.GetByteCount(s) > MaxBytes)
            s = s[..^(char.IsLowSurrogate(s[^1]) && s.Length > 1 ? 2 : 1)];
        return s;
    }

    /// <summary>Whether <paramref name="name"/> is already safe (what <see cref="Of"/> returns unchanged).</summary>
    public static bool IsSafe(string name) => Of(name) == name;
}
