namespace VideoFer.Models.Data;

/// <summary>Where VideoFer looks for the model files it ships (BlazeFace, the default expression model)
/// when no folder is given: the same places for every model, in the same order.</summary>
/// <remarks>The files reach a program in one of two ways. An application that references the
/// <c>VideoFer.Models.Data</c> package (or a project of this repository) gets them copied into a
/// <see cref="BundledFolderName"/> folder next to its assembly at build and publish time, so nothing
/// is installed at run time. A checkout of the repository also has them where <c>scripts/setup.sh</c>
/// installed them with npm, <c>models/node_modules</c>, which is searched walking up from the program's
/// folder and from the current directory. <see cref="EnvironmentVariable"/> overrides both.</remarks>
public static class ModelFolders
{
    /// <summary>A folder holding the models, searched instead of the defaults when set.</summary>
    public const string EnvironmentVariable = "VIDEOFER_MODELS";

    /// <summary>The folder next to the program's assembly that the VideoFer.Models.Data package fills.</summary>
    public const string BundledFolderName = "videofer-models";

    /// <summary>The folder <see cref="EnvironmentVariable"/> names, or null when it is unset or empty.</summary>
    public static string? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>The default folders, most specific first: the bundled folder next to the program, then
    /// every <c>models/node_modules</c> above the program's folder and above the current directory.
    /// Only folders that exist are returned.</summary>
    public static IEnumerable<string> Defaults()
    {
        var bundled = Path.Combine(AppContext.BaseDirectory, BundledFolderName);
        if (Directory.Exists(bundled)) yield return bundled;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", "node_modules");
                if (Directory.Exists(candidate)) yield return candidate;
            }
    }
}
