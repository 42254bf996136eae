using VideoFer.Formats;

namespace VideoFer.Datasets.AffWild2;

/// <summary>The first line of Aff-Wild2 expression annotation and prediction files: the class names
/// in ABAW order, 7 of them (2020/2021) or 8 with Other (2022 on).</summary>
public static class ExpressionHeader
{
    /// <summary>The header line for a class count, as the organisers write it.</summary>
    public static string For(int classCount) => string.Join(',', ExpressionClasses.Names(classCount));

    /// <summary>The class count a header line declares, or null if it is not a header.
    /// Spaces around names and letter case are forgiven; order and spelling are not.</summary>
    public static int? ClassCount(string line)
    {
        var names = line.Split(',');
        foreach (int count in new[] { 7, 8 })
        {
            var expected = ExpressionClasses.Names(count);
            if (names.Length == count && names.Select((n, i) => n.Trim().Equals(expected[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
                return count;
        }
        return null;
    }

    /// <summary>The message for a line that should have been a header.</summary>
    public static string Expected(string got, int? classCount = null) => classCount is int n
        ? $"expected the header '{For(n)}' ({n} classes), got {TextLines.Quote(got, 80)}"
        : $"expected the header '{For(7)}' (7 classes) or '{For(8)}' (8 classes), got {TextLines.Quote(got, 80)}";
}
