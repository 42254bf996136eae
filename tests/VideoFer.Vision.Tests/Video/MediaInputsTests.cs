using VideoFer.Vision.Video;

namespace VideoFer.Vision.Tests.Video;

/// <summary>What a command line's inputs stand for: files, folders searched recursively, globs, lists.
/// Expansion never opens a file, so empty files with media names stand for media here.</summary>
public class MediaInputsTests : TempFolderTest
{
    string Touch(string relative)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return path;
    }

    string P(string relative) => Path.Combine(dir, relative);

    [Fact]
    public void AFolderGivesEveryVideoEveryPictureAndItsFrameFoldersInNameOrderAndListsTheRest()
    {
        Touch("c/b.mp4"); Touch("c/a.AVI"); Touch("c/notes.txt"); Touch("c/cover.jpg");
        Touch("c/sub/z.mkv"); Touch("c/frames/00001.png"); Touch("c/frames/00002.png");
        Touch("c/.hidden/x.mp4"); Touch("c/out/old.mp4");
        var expansion = MediaInputs.Expand([P("c")], exclude: P("c/out"));
        Assert.True(expansion.IsCorpus);
        Assert.Equal([P("c/a.AVI"), P("c/b.mp4"), P("c/cover.jpg"), P("c/frames"), P("c/sub/z.mkv")], expansion.Inputs);
        var skipped = Assert.Single(expansion.Skipped);
        Assert.Equal(P("c/notes.txt"), skipped.Path);
        Assert.Contains("neither a video nor a picture", skipped.Reason);
    }

    [Fact]
    public void NumberedFramesAreOneVideoOtherPicturesArePhotosAndTheUserCanSayWhich()
    {
        Touch("aff/00001.jpg"); Touch("aff/00002.jpg"); Touch("aff/00010.jpg");           // Aff-Wild2, prepare, ffmpeg %05d
        Touch("ff/frame_0001.png"); Touch("ff/frame_0002.png");
        Touch("people/Ann_Lee_0001.jpg"); Touch("people/Bob_0001.jpg"); Touch("people/Cy_0003.jpg");
        Touch("mixed/00001.jpg"); Touch("mixed/00002.jpg"); Touch("mixed/cover.jpg");
        Assert.Equal([P("aff")], MediaInputs.Expand([P("aff")]).Inputs);
        Assert.False(MediaInputs.Expand([P("aff")]).IsCorpus);
        Assert.Equal([P("ff")], MediaInputs.Expand([P("ff")]).Inputs);
        Assert.Equal([P("people/Ann_Lee_0001.jpg"), P("people/Bob_0001.jpg"), P("people/Cy_0003.jpg")], MediaInputs.Expand([P("people")]).Inputs);
        Assert.Equal(3, MediaInputs.Expand([P("mixed")]).Inputs.Count);
        // --photos: every picture its own input; --frames: any folder of pictures one video.
        Assert.Equal(3, MediaInputs.Expand([P("aff")], reading: FolderReading.Photos).Inputs.Count);
        Assert.Equal([P("people")], MediaInputs.Expand([P("people")], reading: FolderReading.Frames).Inputs);
    }

    [Fact]
    public void NumberedPicturesOfDifferentSizesArePhotos()
    {
        Directory.CreateDirectory(P("sizes"));
        using (var a = new OpenCvSharp.Mat(20, 30, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90))) OpenCvSharp.Cv2.ImWrite(P("sizes/001.png"), a);
        using (var b = new OpenCvSharp.Mat(40, 30, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90))) OpenCvSharp.Cv2.ImWrite(P("sizes/002.png"), b);
        Assert.Equal(2, MediaInputs.Expand([P("sizes")]).Inputs.Count);
        using (var c = new OpenCvSharp.Mat(20, 30, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90))) OpenCvSharp.Cv2.ImWrite(P("sizes/002.png"), c);
        Assert.Equal([P("sizes")], MediaInputs.Expand([P("sizes")]).Inputs);
    }

    [Fact]
    public void OneVideoOrOneFrameFolderIsNoCorpus()
    {
        Touch("v.mp4"); Touch("frames/1.jpg"); Touch("frames/2.jpg");
        Assert.False(MediaInputs.Expand([P("v.mp4")]).IsCorpus);
        Assert.False(MediaInputs.Expand([P("frames")]).IsCorpus);
        var (inputs, corpus) = MediaInputs.Expand([P("v.mp4"), P("frames"), P("v.mp4")]);
        Assert.True(corpus);
        Assert.Equal([P("v.mp4"), P("frames")], inputs); // each once
    }

    [Fact]
    public void GlobsMatchVideosAndImagesOnly()
    {
        Touch("g/a/1.mp4"); Touch("g/b/2.mp4"); Touch("g/b/3.jpg"); Touch("g/b/4.txt"); Touch("g/.h/5.mp4");
        Assert.Equal([P("g/a/1.mp4"), P("g/b/2.mp4")], MediaInputs.Expand([P("g") + "/**/*.mp4"]).Inputs);
        Assert.Equal([P("g/a/1.mp4"), P("g/b/2.mp4"), P("g/b/3.jpg")], MediaInputs.Expand([P("g") + "/*/*"]).Inputs);
        var e = Assert.Throws<VideoFerException>(() => MediaInputs.Expand([P("g") + "/**/*.webm"]));
        Assert.Equal($"{P("g")}/**/*.webm: matches no video or image", e.Message);
    }

    [Fact]
    public void AListNamesInputsFromItsFolderAndAnErrorNamesItsLine()
    {
        Touch("l/v1.mp4"); Touch("l/d/v2.mp4");
        File.WriteAllText(P("l/list.txt"), "# corpus\nv1.mp4\r\n\n  d  \n");
        var (inputs, corpus) = MediaInputs.Expand(["@" + P("l/list.txt")]);
        Assert.True(corpus);
        Assert.Equal([P("l/v1.mp4"), P("l/d/v2.mp4")], inputs);

        File.WriteAllText(P("l/bad.txt"), "v1.mp4\nmissing.mp4\n");
        var e = Assert.Throws<VideoFerException>(() => MediaInputs.Expand(["@" + P("l/bad.txt")]));
        Assert.Equal($"{P("l/bad.txt")}:2: missing.mp4: no such file or folder", e.Message);
        File.WriteAllText(P("l/empty.txt"), "# nothing\n");
        Assert.Contains("names no input", Assert.Throws<VideoFerException>(() => MediaInputs.Expand(["@" + P("l/empty.txt")])).Message);
    }

    [Fact]
    public void AFolderWithoutMediaIsOneClearErrorAloneAndAnInputThatFailsBesideOthers()
    {
        Touch("e/readme.txt"); Touch("v.mp4");
        var e = Assert.Throws<VideoFerException>(() => MediaInputs.Expand([P("e")]));
        Assert.Equal($"{P("e")}: the folder holds neither videos nor pictures (searched recursively)", e.Message);
        Directory.CreateDirectory(P("x.mp4"));
        var (inputs, corpus) = MediaInputs.Expand([P("v.mp4"), P("x.mp4")]);
        Assert.True(corpus);
        Assert.Equal([P("v.mp4"), P("x.mp4")], inputs);
    }
}
