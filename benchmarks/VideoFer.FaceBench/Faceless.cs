using OpenCvSharp;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.FaceBench;

/// <summary>False faces: each VideoFer search on the pictures of opencv-doc's examples/data that show no human face
/// (still lifes, buildings, text, logos, charts, boards). Pictures with a person or a face-like head are left out by
/// name, so that every face found in the rest is a false one.</summary>
static class Faceless
{
    /// <summary>Pictures that show a person (Messi, the basketball players, the man holding the calibration board in
    /// the left/right series) or a head (the baboon, Blender's Suzanne, the robot of ml.png).</summary>
    static bool ShowsAFace(string name) =>
        name.StartsWith("left", StringComparison.Ordinal) || name.StartsWith("right", StringComparison.Ordinal) ||
        name.StartsWith("Blender_Suzanne", StringComparison.Ordinal) || name.StartsWith("basketball", StringComparison.Ordinal) ||
        name is "messi5.jpg" or "baboon.jpg" or "ml.png" or "lena.jpg";

    public static string Markdown(string folder, IEnumerable<(string Name, FaceDetectorOptions Options)> variants, Log log)
    {
        if (!Directory.Exists(folder))
            return $"\nFaces found in faceless pictures: not measured ({folder} is absent; benchmarks/face-robustness.sh extracts it from opencv-doc).\n";
        var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Where(f => !ShowsAFace(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList();
        var lines = new List<string>
        {
            "",
            $"Faces found in {files.Count} pictures without a face (opencv-doc examples/data, pictures with a person or a head left out by name; {folder}):",
            "",
            "| detector | pictures with a false face | which (best score) |",
            "|---|---:|---|",
        };
        foreach (var (name, options) in variants)
        {
            using var detector = new BlazeFaceDetector(options);
            var hits = new List<string>();
            foreach (var f in files)
            {
                using var image = Cv2.ImRead(f, ImreadModes.Color);
                if (image.Empty()) continue;
                var faces = detector.Detect(image);
                if (faces.Count > 0) hits.Add($"{Path.GetFileName(f)} ({faces.Max(x => x.Score):0.00})");
            }
            log.Say($"  faceless pictures, {name}: {hits.Count} of {files.Count} with a face");
            lines.Add($"| {name} | {hits.Count} | {string.Join(", ", hits)} |");
        }
        return string.Join("\n", lines) + "\n";
    }
}
