using VideoFer.Models.Data;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class ModelLocatorTests
{
    /// <summary>The copy VideoFer.Models.Data puts next to every program that references it comes first, and is
    /// the npm file itself; a checkout's models/node_modules, found walking up, comes after it.</summary>
    [Fact]
    public void Finds_the_bundled_copy_next_to_the_program_before_the_npm_install()
    {
        var path = ModelLocator.Find("face_detection_full_range.tflite");
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, ModelFolders.BundledFolderName, "face_detection_full_range.tflite"), path);
        var npm = Path.Combine(Repo.Root, "models", "node_modules", "@mediapipe", "face_detection", "face_detection_full_range.tflite");
        Assert.Equal(File.ReadAllBytes(npm), File.ReadAllBytes(path));
        var folders = ModelFolders.Defaults().ToList();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, ModelFolders.BundledFolderName), folders[0]);
        Assert.Contains(Path.Combine(Repo.Root, "models", "node_modules"), folders.Skip(1));
    }

    [Fact]
    public void An_explicit_folder_may_be_the_models_folder_or_the_package_folder()
    {
        var models = Path.Combine(Repo.Root, "models");
        var package = Path.Combine(models, "node_modules", "@mediapipe", "face_detection");
        Assert.Equal(ModelLocator.Find("face_detection_short_range.tflite", models),
                     ModelLocator.Find("face_detection_short_range.tflite", package));
    }

    [Fact]
    public void Unknown_file_says_to_run_setup()
    {
        var e = Assert.Throws<VideoFerException>(() => ModelLocator.Find("no_such_model.tflite"));
        Assert.Contains("scripts/setup.sh", e.Message);
    }
}
