using System.Text.Json;

namespace VideoFer.Tests.Support;

/// <summary>Runs reference/abaw_metrics.py (numpy + scikit-learn) on cases built by a test and returns
/// its JSON answer. NaN comes back as null; <see cref="Number"/> maps it back.</summary>
public static class AbawReference
{
    public static JsonElement Run(object cases)
    {
        var input = Path.Combine(Path.GetTempPath(), $"videofer-abaw-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(cases));
        try
        {
            return JsonDocument.Parse(Python.Run(Path.Combine(Repo.Root, "reference", "abaw_metrics.py"), input)).RootElement;
        }
        finally
        {
            File.Delete(input);
        }
    }

    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    /// <summary>Equal within <paramref name="tolerance"/>, or both NaN.</summary>
    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected}, got {actual}");
        else
            Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>VA truth for the reference: NaN (unannotated) becomes the files' -5; floats widen exactly.</summary>
    public static double[] ForJson(IEnumerable<float> values) => values.Select(v => float.IsNaN(v) ? -5.0 : (double)v).ToArray();

    /// <summary>Frame-major AU values as rows of <paramref name="count"/>.</summary>
    public static int[][] Rows(IReadOnlyList<sbyte> values, int count) =>
        Enumerable.Range(0, values.Count / count).Select(f => Enumerable.Range(0, count).Select(j => (int)values[f * count + j]).ToArray()).ToArray();
}
