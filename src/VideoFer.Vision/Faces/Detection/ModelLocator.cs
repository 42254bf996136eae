using VideoFer.Models.Data;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>Finds the BlazeFace .tflite files (npm @mediapipe/face_detection; never committed). Looked for,
/// in order: an explicit folder, the VIDEOFER_MODELS environment variable, the videofer-models folder next
/// to the program (the VideoFer.Models.Data package), then a models/node_modules found walking up from the
/// program's folder and from the current directory (a checkout after scripts/setup.sh); see
/// <see cref="ModelFolders"/>.</summary>
public static class ModelLocator
{
    public const string EnvironmentVariable = ModelFolders.EnvironmentVariable;
    const string PackageFolder = "@mediapipe/face_detection";

    /// <summary>The full path of <paramref name="fileName"/>; throws <see cref="VideoFerException"/>
    /// saying where it looked when the file is nowhere.</summary>
    public static string Find(string fileName, string? explicitFolder = null)
    {
        if (explicitFolder != null)
            return InFolder(explicitFolder, fileName)
                ?? throw new VideoFerException($"{explicitFolder}: no {fileName} there (nor under node_modules/{PackageFolder})");

        if (ModelFolders.FromEnvironment() is string fromEnv)
            return InFolder(fromEnv, fileName)
                ?? throw new VideoFerException($"{EnvironmentVariable}={fromEnv}: no {fileName} there (nor under node_modules/{PackageFolder})");

        foreach (var folder in ModelFolders.Defaults())
            if (InFolder(folder, fileName) is string found)
                return found;

        throw new VideoFerException(
            $"face detection model {fileName} not found: reference the VideoFer.Models.Data package, run scripts/setup.sh " +
            $"in a checkout (installs {PackageFolder} into models/node_modules), or point {EnvironmentVariable} at the folder holding it");
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
