using VideoFer.Formats;

namespace VideoFer.Datasets.RafDb;

/// <summary>One line of <c>EmoLabel/list_patition_label.txt</c>.</summary>
/// <param name="Split">train or test, from the name prefix.</param>
/// <param name="Code">The RAF-DB label 1..7.</param>
public sealed record RafDbListEntry(int Line, string Name, string Split, int Code);

/// <summary>Parses the RAF-DB basic list (the file name's misspelling is the dataset's): no header,
/// lines <c>&lt;name&gt; &lt;label&gt;</c> such as <c>train_00001.jpg 5</c>; the split is the name's
/// <c>train_</c>/<c>test_</c> prefix.</summary>
public static class RafDbList
{
    public static IEnumerable<RafDbListEntry> Parse(TextReader reader, string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Strict;
        foreach (var line in TextLines.Read(reader))
        {
            var parts = line.Text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string? problem = null;
            string split = "";
            int code = 0;
            if (parts.Length != 2)
                problem = line.IsBlank ? "expected '<name> <label>', got an empty line" : $"expected '<name> <label>', got {TextLines.Quote(line.Text)}";
            else if (SplitOf(parts[0]) is not string s)
                problem = $"expected an image name starting with train_ or test_, got {TextLines.Quote(parts[0])}";
            else if (!InvariantNumbers.TryInt(parts[1], out code) || code is < 1 or > 7)
                problem = $"expected a label from 1 to 7, got {TextLines.Quote(parts[1])}";
            else
                split = s;
            if (problem != null)
            {
                options.Malformed(path, line.Number, problem, "image skipped");
                continue;
            }
            yield return new RafDbListEntry(line.Number, parts[0], split, code);
        }
    }

    static string? SplitOf(string name) =>
        name.StartsWith("train_", StringComparison.Ordinal) ? Splits.Train
        : name.StartsWith("test_", StringComparison.Ordinal) ? Splits.Test
        : null;
}
