using System.CommandLine;

namespace VideoFer.Cli;

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
}
