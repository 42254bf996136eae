using VideoFer.Models.Data;

namespace VideoFer.Models.Expressions;

/// <summary>Finds the embedded default model's emotion.json (npm @vladmandic/human, pinned in
/// models/package-lock.json; never committed). Looked for, in order: an explicit path, the VIDEOFER_MODELS
/// environment variable, the videofer-models folder next to the program (the VideoFer.Models.Data package),
/// then the first models/node_modules holding it walking up from the program's folder, then from the current
/// directory (a checkout after scripts/setup.sh); see <see cref="ModelFolders"/>.</summary>
public static class EmotionModelLocator
{
    public const string EnvironmentVariable = ModelFolders.EnvironmentVariable;
    public const string PackageFolder = "@vladmandic/human";
    public const string FileName = "emotion.json";

    /// <summary>Full path of emotion.json. <paramref name="explicitPath"/> may be the .json itself, the folder
    /// holding it, the package folder, a node_modules folder or the models folder above it.</summary>
    public static string Find(string? explicitPath = null) => FindFile(FileName, explicitPath, "default expression model");

    /// <summary>Full path of another model of the same package (the face embedding's faceres.json), looked for
    /// in the same places as <see cref="Find"/>.</summary>
    public static string FindFile(string fileName, string? explicitPath = null, string what = "model")
    {
        if (!string.IsNullOrEmpty(explicitPath))
            return InPath(explicitPath, fileName)
                ?? throw new VideoFerException($"{explicitPath}: no {fileName} there (nor under node_modules/{PackageFolder}/models)");

        if (ModelFolders.FromEnvironment() is string fromEnv)
            return InPath(fromEnv, fileName)
                ?? throw new VideoFerException($"{EnvironmentVariable}={fromEnv}: no {fileName} there (nor under node_modules/{PackageFolder}/models)");

        foreach (var folder in ModelFolders.Defaults())
            if (InPath(folder, fileName) is string found)
                return found;

        throw new VideoFerException(
            $"{what} {PackageFolder}/models/{fileName} not found: reference the VideoFer.Models.Data package, " +
            $"run scripts/setup.sh in a checkout (installs it from npm into models/node_modules), or point {EnvironmentVariable} at the folder holding it");
    }

    private static string? InPath(string path, string fileName)
    {
        if (File.Exists(path)) return Path.GetFileName(path) == fileName || fileName == FileName ? Path.GetFullPath(path) : null;
        foreach (var sub in new[] { "", "models", Path.Combine(PackageFolder, "models"), Path.Combine("node_modules", PackageFolder, "models") })
        {
            var candidate = Path.Combine(path, sub, fileName);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
