using VideoFer.Models.Data;

namespace VideoFer.Models.Expressions;

/// <summary>Finds face-api's expression network, <c>face_expression_model-weights_manifest.json</c> and its shard
/// <c>face_expression_model.bin</c> (npm @vladmandic/face-api 1.7.15, MIT; never committed). Looked for, in order:
/// an explicit path, the VIDEOFER_MODELS environment variable, the videofer-models folder next to the program (the
/// VideoFer.Models.Data package) and every models/node_modules above the program's folder and the current directory
/// (where scripts/setup.sh installs it; <see cref="ModelFolders"/>).</summary>
public static class FaceApiModelLocator
{
    public const string EnvironmentVariable = ModelFolders.EnvironmentVariable;
    public const string PackageFolder = "@vladmandic/face-api";
    public const string FileName = "face_expression_model-weights_manifest.json";

    /// <summary>Full path of the weights manifest. <paramref name="explicitPath"/> may be the manifest itself, the
    /// folder holding it, the package folder, a node_modules folder or the folder above node_modules.</summary>
    public static string Find(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
            return InPath(explicitPath)
                ?? throw new VideoFerException($"{explicitPath}: no {FileName} there (nor under node_modules/{PackageFolder}/model)");

        if (ModelFolders.FromEnvironment() is string fromEnv)
            return InPath(fromEnv)
                ?? throw new VideoFerException($"{EnvironmentVariable}={fromEnv}: no {FileName} there (nor under node_modules/{PackageFolder}/model)");

        foreach (var folder in DefaultFolders())
            if (InPath(folder) is string found)
                return found;

        throw new VideoFerException(
            $"face-api expression model {PackageFolder}/model/{FileName} not found: run scripts/setup.sh (installs the pinned " +
            $"model packages into models/node_modules) or point {EnvironmentVariable} at the folder holding it");
    }

    /// <summary>The folders searched when neither a path nor the environment variable is given, most specific first.</summary>
    public static IEnumerable<string> DefaultFolders() => ModelFolders.Defaults();

    private static string? InPath(string path)
    {
        // A file given explicitly is taken as the manifest whatever its name (a renamed copy), but not a shard.
        if (File.Exists(path))
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(path) : null;
        foreach (var sub in new[] { "", "model", Path.Combine(PackageFolder, "model"), Path.Combine("node_modules", PackageFolder, "model") })
        {
            var candidate = Path.Combine(path, sub, FileName);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
