using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Video;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Detection;

/// <summary>BlazeFace on real pictures and video from opencv-doc.</summary>
[Collection("detector")]
public class BlazeFaceDetectorTests(DetectorFixture detectors, ITestOutputHelper output) : IDisposable
{
    readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    // Messi's face in messi5.jpg (548x342) lies around x 222-258, y 92-128 (checked on an image of that region).
    static readonly Rect2f MessiFace = new(222, 92, 36, 36);

    [Fact]
    public void Finds_Messis_face_with_keypoints_inside_it()
    {
        using var image = Cv2.ImRead(TestMedia.Messi);
        foreach (var detector in new[] { detectors.Plain, detectors.Tiled })
        {
            var faces = detector.Detect(image);
            var messi = Assert.Single(faces, f => FaceDetection.IoU(f.Box, MessiFace) > 0.5f);
            Assert.True(messi.Score >= 0.6f);
            foreach (var k in new[] { FaceKeypoint.RightEye, FaceKeypoint.LeftEye, FaceKeypoint.NoseTip, FaceKeypoint.MouthCenter })
                Assert.True(messi.Box.Contains(messi[k]), $"{k} {messi[k]} outside {messi.Box}");
            // The person's right eye is on the image's left; eyes above nose above mouth.
            Assert.True(messi[FaceKeypoint.RightEye].X < messi[FaceKeypoint.LeftEye].X);
            Assert.True(messi[FaceKeypoint.RightEye].Y < messi[FaceKeypoint.NoseTip].Y);
            Assert.True(messi[FaceKeypoint.NoseTip].Y < messi[FaceKeypoint.MouthCenter].Y);
        }
    }

    [Fact]
    public void Short_range_model_loads_and_finds_a_close_face()
    {
        // The short-range model wants a face filling a good part of the picture: crop around Messi.
        using var image = Cv2.ImRead(TestMedia.Messi);
        using var crop = new Mat(image, new Rect(170, 40, 140, 140));
        var faces = detectors.Short.Detect(crop);
        Assert.Contains(faces, f => f.Score >= 0.5f && f.Box.Contains(new Point2f(240 - 170, 110 - 40)));
    }

    [Theory]
    [InlineData("chessboard.png")]
    [InlineData("board.jpg")]
    public void No_faces_on_pictures_without_people(string name)
    {
        using var image = Cv2.ImRead(TestMedia.Path(name));
        Assert.Empty(detectors.Plain.Detect(image));
        Assert.Empty(detectors.Tiled.Detect(image));
    }

    [Fact]
    public void Finds_the_two_characters_in_Megamind_frames()
    {
        // Frames 3-98 are one shot with two faces (the large one on the left, a smaller one on the right).
        using var source = new VideoFileSource(TestMedia.Megamind);
        int checkedFrames = 0, withTwo = 0;
        foreach (var frame in source.ReadFrames())
            using (frame)
            {
                if (frame.Index > 90) break;
                if (frame.Index < 5 || frame.Index % 10 != 0) continue;
                var faces = detectors.Plain.Detect(frame.Image);
                checkedFrames++;
                bool left = faces.Any(f => f.Center.X < 360 && f.Size > 100);
                bool right = faces.Any(f => f.Center.X > 400 && f.Size is > 50 and < 100);
                if (left && right) withTwo++;
            }
        output.WriteLine($"{withTwo} of {checkedFrames} frames with both faces");
        // The smaller, cartoon face on the right scores near the 0.6 threshold and is missed now and then.
        Assert.True(withTwo >= checkedFrames * 2 / 3, $"{withTwo} of {checkedFrames}");
    }

    [Fact]
    public void Tiling_finds_small_faces_the_whole_frame_pass_misses()
    {
        // Messi's face (a hard one: blurred, looking down) pasted at 48 px into a 1280x720 scene without people, at several places.
        using var messi = Cv2.ImRead(TestMedia.Messi);
        using var board = Cv2.ImRead(TestMedia.Board);
        using var patch = new Mat(messi, new Rect(206, 76, 68, 68)); // face plus a face-width margin
        const int face = 48, side = 2 * face;
        int plainHits = 0, tiledHits = 0, trials = 5;
        for (int t = 0; t < trials; t++)
        {
            using var canvas = new Mat();
            Cv2.Resize(board, canvas, new Size(1280, 720));
            using var small = new Mat();
            Cv2.Resize(patch, small, new Size(side, side), 0, 0, InterpolationFlags.Area);
            int x = 20 + t * 241 % (1280 - side - 40), y = 20 + t * 137 % (720 - side - 40);
            using (var roi = new Mat(canvas, new Rect(x, y, side, side))) small.CopyTo(roi);
            var centre = new Point2f(x + side / 2f, y + side / 2f);
            bool Hit(IReadOnlyList<FaceDetection> fs) => fs.Any(f => Math.Abs(f.Center.X - centre.X) < face / 2f && Math.Abs(f.Center.Y - centre.Y) < face / 2f);
            if (Hit(detectors.Plain.Detect(canvas))) plainHits++;
            if (Hit(detectors.Tiled.Detect(canvas))) tiledHits++;
        }
        output.WriteLine($"{face} px face in 1280x720: whole frame {plainHits}/{trials}, tiled {tiledHits}/{trials}");
        Assert.True(tiledHits >= trials - 1, $"tiled found {tiledHits}/{trials}");
        Assert.True(plainHits < tiledHits);
    }

    [Fact]
    public void Empty_image_has_no_faces()
    {
        using var empty = new Mat();
        Assert.Empty(detectors.Plain.Detect(empty));
    }

    [Fact]
    public void Missing_model_folder_is_a_clear_error()
    {
        var dir = temp.NewFolder();
        var e = Assert.Throws<VideoFerException>(() => new BlazeFaceDetector(new FaceDetectorOptions { ModelDirectory = dir }));
        Assert.Contains(dir, e.Message);
        Assert.Contains("face_detection_full_range.tflite", e.Message);
    }

    /// <summary>Defect 9: `--tiles 1000` ran for over 10 minutes on messi5.jpg and -1 was taken. Out of
    /// range is refused, naming the setting, the bounds and the value.</summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(FaceDetectorOptions.MaxTilesPerShortSide + 1)]
    [InlineData(1000)]
    public void Tiles_out_of_range_are_refused(int tiles)
    {
        var e = Assert.Throws<VideoFerException>(() => new BlazeFaceDetector(new FaceDetectorOptions { TilesPerShortSide = tiles }));
        Assert.Equal($"tiles per short side (--tiles) must be between 0 and {FaceDetectorOptions.MaxTilesPerShortSide}, got {tiles}", e.Message);
    }

    /// <summary>The most tiles allowed search each tile of the layout once (the work is bounded by the
    /// region count, 1 + tiles; 1000 tiles used to run for over 600 s) and still find the face.</summary>
    [Fact]
    public void The_most_tiles_allowed_search_each_tile_once()
    {
        using var detector = new BlazeFaceDetector(new FaceDetectorOptions { TilesPerShortSide = FaceDetectorOptions.MaxTilesPerShortSide });
        using var image = Cv2.ImRead(TestMedia.Messi);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = detector.Search(image);
        output.WriteLine($"{result.Regions} regions, {result.Faces.Count} faces in {clock.Elapsed.TotalSeconds:0.00} s");
        int tiles = TileLayout.Compute(image.Width, image.Height, FaceDetectorOptions.MaxTilesPerShortSide).Count;
        Assert.Equal(1 + tiles, result.Regions);
        Assert.Contains(result.Faces, f => FaceDetection.IoU(f.Box, MessiFace) > 0.5f);
    }
}
