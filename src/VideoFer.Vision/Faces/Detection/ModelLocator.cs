namespace VideoFer.Vision.Faces.Detection;

/// <summary>Finds the folder holding the BlazeFace .tflite files, installed from npm by scripts/setup.sh
/// into models/node_modules (never committed). Looked for, in order: an explicit folder, the
/// VIDEOFER_MODELS environment variable, then a models/node_modules found walking up from the
/// program's folder and from the current directory.</summary>
public static class ModelLocator
{
    public const string EnvironmentVariable = "VIDEOFER_MODELS";
    const string PackageFolder = "@mediapipe/face_detection";

    /// <summary>The full path of <paramref name="fileName"/>; throws <see cref="VideoFerException"/>
    /// saying where it looked when the file is nowhere.</summary>
    public static string Find(string fileName, string? explicitFolder = null)
    {
        if (explicitFolder != null)
            return InFolder(explicitFolder, fileName)
                ?? throw new VideoFerException($"{explicitFolder}: no {fileName} there (nor under node_modules/{PackageFolder})");

        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
            return InFolder(fromEnv, fileName)
                ?? throw new VideoFerException($"{EnvironmentVariable}={fromEnv}: no {fileName} there (nor under node_modules/{PackageFolder})");

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", "node_modules");
                if (Directory.Exists(candidate) && InFolder(candidate, fileName) is string found)
                    return found;
            }

        throw new VideoFerException(
            $"face detection model {fileName} not found: run scripts/setup.sh (installs {PackageFolder} into models/node_modules), " +
            $"or point {EnvironmentVariable} at the folder holding it");
    }

    /// <summary>Accepts the folder of the .tflite itself, a node_modules folder, or the models folder above it.</summary>
    static string? InFolder(string folder, string fileName)
    {
        foreach (var sub in new[] { "", PackageFolder, Path.Combine("node_modules", PackageFolder) })
        {
            var path = Path.Combine(folder, sub, fileName);
            if (File.Exists(path)) return Path.GetFullPath(path);
        }
        return null;
    }
}
