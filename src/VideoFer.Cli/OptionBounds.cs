using System.CommandLine;

namespace VideoFer.Cli;

/// <summary>Bounds of numeric options that System.CommandLine parses but does not check, so that a bad
/// value is one clear line before any file is opened or model loaded, never an internal error after.</summary>
public static class OptionBounds
{
    /// <summary>Refuses a value outside [<paramref name="min"/>, <paramref name="max"/>] while the command
    /// line is parsed, before any file is opened or model loaded.</summary>
    public static Option<int> Between(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < min || value > max) result.AddError($"{option.Name} must be between {min} and {max}, got {value}");
        });
        return option;
    }

    /// <summary>Refuses a value below <paramref name="min"/> while the command line is parsed (an absent optional
    /// value passes).</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int value && value < min)
                result.AddError($"{option.Name} must be at least {min}, got {value}");
        });
        return option;
    }

    /// <summary>Checks a value after parsing (exit 1, the value named): for bounds that are a fact of the
    /// run rather than of the command line.</summary>
    public static int AtLeast(int value, int minimum, string option) => value >= minimum ? value
        : throw new VideoFerException($"{option} {value}: expected at least {minimum}");
}
