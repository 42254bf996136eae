using VideoFer.Vision.Faces.Detection;

namespace VideoFer.Vision.Tests.Detection;

public class ModelLocatorTests
{
    [Fact]
    public void Finds_the_npm_installed_model_by_walking_up()
    {
        var path = ModelLocator.Find("face_detection_full_range.tflite");
        Assert.True(File.Exists(path));
        Assert.Contains(Path.Combine("models", "node_modules", "@mediapipe", "face_detection"), path);
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
