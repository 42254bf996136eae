namespace VideoFer.Formats;

/// <summary>The contents of a NumPy <c>.npy</c> file: a shape and flat C-order data, either numbers
/// (any integer, float or bool dtype, widened to double) or strings (<c>U</c>/<c>S</c> dtypes).</summary>
public sealed class NpyArray
{
    internal NpyArray(int[] shape, double[]? numbers, string[]? strings)
    {
        Shape = shape;
        Numbers = numbers;
        Strings = strings;
    }

    /// <summary>Empty for a 0-d (scalar) array.</summary>
    public IReadOnlyList<int> Shape { get; }

    public IReadOnlyList<double>? Numbers { get; }
    public IReadOnlyList<string>? Strings { get; }

    public int Count => Numbers?.Count ?? Strings!.Count;

    /// <summary>The value of a one-element array as an integer: a whole number, or a string holding
    /// one ("3", " 3 ", "3.0"), as some AffectNet copies store their labels. Null otherwise.</summary>
    public int? AsInteger()
    {
        if (Count != 1)
            return null;
        double value;
        if (Numbers != null)
            value = Numbers[0];
        else if (!InvariantNumbers.TryDouble(Strings![0].Trim('\0', ' ', '\t', '\r', '\n'), out value))
            return null;
        return double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) <= int.MaxValue ? (int)value : null;
    }

    /// <summary>The value of a one-element array as a number (strings parsed), or null.</summary>
    public double? AsNumber()
    {
        if (Count != 1)
            return null;
        if (Numbers != null)
            return Numbers[0];
        return InvariantNumbers.TryDouble(Strings![0].Trim('\0', ' ', '\t', '\r', '\n'), out double v) ? v : null;
    }
}
