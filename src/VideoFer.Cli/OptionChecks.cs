namespace VideoFer.Cli;

/// <summary>Bounds of numeric options that System.CommandLine parses but does not check, so that a
/// bad value is one clear line (exit 1) before any work, not an internal error after it.</summary>
public static class OptionChecks
{
    public static int AtLeast(int value, int minimum, string option) => value >= minimum ? value
        : throw new VideoFerException($"{option} {value}: expected at least {minimum}");
}
