using VideoFer.Models.Expressions;
using VideoFer.Models.TfJs;

namespace VideoFer.Models.Tests.FaceApi;

/// <summary>Finding face-api's expression model, and the errors for a missing or damaged copy of its real files.</summary>
public class FaceApiModelFileTests : TempFolderTest
{
    static string Manifest => FaceApiReference.ManifestPath;
    static string Shard => Path.Combine(Path.GetDirectoryName(Manifest)!, "face_expression_model.bin");

    // A copy of the real model in a folder of this test's own.
    (string Manifest, string Shard) Copy()
    {
        string manifest = Path.Combine(dir, FaceApiModelLocator.FileName);
        string shard = Path.Combine(dir, "face_expression_model.bin");
        File.Copy(Manifest, manifest);
        File.Copy(Shard, shard);
        return (manifest, shard);
    }

    [Fact]
    public void AcceptsTheFileItsFolderThePackageAndNodeModulesFolders()
    {
        string npm = TestMedia.NpmFolder;
        string expected = Path.Combine(npm, "@vladmandic", "face-api", "model", FaceApiModelLocator.FileName);
        Assert.Equal(expected, Manifest);
        foreach (var p in new[] { expected, Path.GetDirectoryName(expected)!, Path.Combine(npm, "@vladmandic", "face-api"), npm,
                                  Path.GetDirectoryName(npm)! })
            Assert.Equal(expected, FaceApiModelLocator.Find(p));
    }

    [Fact]
    public void WithoutAPathFindsItNextToOrAboveTheProgram()
    {
        if (ModelFoldersSetByEnvironment()) return;
        string found = FaceApiModelLocator.Find();
        Assert.True(File.Exists(found));
        // The VideoFer.Models.Data copy next to the program comes first; without it, models/node_modules above it.
        string packaged = Path.Combine(AppContext.BaseDirectory, "videofer-models", FaceApiModelLocator.FileName);
        if (File.Exists(packaged))
            Assert.Equal(Path.GetFullPath(packaged), found);
        else
            Assert.EndsWith(Path.Combine("@vladmandic", "face-api", "model", FaceApiModelLocator.FileName), found);
    }

    static bool ModelFoldersSetByEnvironment() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(FaceApiModelLocator.EnvironmentVariable));

    [Fact]
    public void ACopyLoadsAndPredictsAsTheOriginal()
    {
        var (manifest, _) = Copy();
        using var copy = FaceApiExpressionModel.Load(dir);
        using var original = FaceApiExpressionModel.Load(Manifest);
        Assert.Equal(manifest, copy.Path);
        Assert.Equal(49, TfJsWeightsManifest.Read(manifest).Count);
        var crop = FaceApiFaces.Crops[0].Crop;
        Assert.Equal(original.Predict(crop), copy.Predict(crop));
    }

    [Fact]
    public void AMissingManifestIsAnErrorNamingIt()
    {
        string missing = Path.Combine(dir, FaceApiModelLocator.FileName);
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(missing));
        Assert.Contains(missing, e.Message);
        e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(dir));
        Assert.Contains(dir, e.Message);
        Assert.Contains(FaceApiModelLocator.FileName, e.Message);
        e = Assert.Throws<VideoFerException>(() => TfJsWeightsManifest.Read(missing));
        Assert.StartsWith(missing, e.Message);
    }

    [Fact]
    public void AMissingShardIsAnErrorNamingIt()
    {
        var (_, shard) = Copy();
        File.Delete(shard);
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(dir));
        Assert.StartsWith(shard, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void ATruncatedShardIsAnErrorNamingIt()
    {
        var (_, shard) = Copy();
        var bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(dir));
        Assert.StartsWith(shard, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void AShardWithBytesLeftOverIsAnErrorNamingIt()
    {
        var (_, shard) = Copy();
        using (var s = File.Open(shard, FileMode.Append)) s.Write(new byte[100]);
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(dir));
        Assert.StartsWith(shard, e.Message);
        Assert.Contains("100 bytes left over", e.Message);
    }

    [Fact]
    public void ACorruptManifestIsAnErrorNamingIt()
    {
        var (manifest, _) = Copy();
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text[..(text.Length / 2)]);
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(manifest));
        Assert.StartsWith(manifest, e.Message);
        Assert.Contains("invalid JSON", e.Message);
    }

    [Fact]
    public void AnotherNetworksManifestIsAnErrorNamingIt()
    {
        // face-api's age and gender network: the same feature extractor, other classifier layers.
        string other = Path.Combine(Path.GetDirectoryName(Manifest)!, "age_gender_model-weights_manifest.json");
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(other));
        Assert.StartsWith(other, e.Message);
        Assert.Contains("not face-api's expression model", e.Message);
    }

    [Fact]
    public void AManifestWithAWrongShapeIsAnErrorNamingIt()
    {
        var (manifest, _) = Copy();
        // fc/weights as [7, 256]: the same bytes, the wrong layout.
        var text = File.ReadAllText(manifest);
        Assert.Contains("\"fc/weights\",\"shape\":[256,7]", text);
        File.WriteAllText(manifest, text.Replace("\"fc/weights\",\"shape\":[256,7]", "\"fc/weights\",\"shape\":[7,256]"));
        var e = Assert.Throws<VideoFerException>(() => FaceApiExpressionModel.Load(manifest));
        Assert.StartsWith(manifest, e.Message);
        Assert.Contains("fc/weights", e.Message);
    }
}
