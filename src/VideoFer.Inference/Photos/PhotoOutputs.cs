using System.Globalization;
using System.Text.Json.Serialization;
using OpenCvSharp;
using VideoFer.Formats;
using VideoFer.Inference.Outputs;
using VideoFer.Inference.Predictors;
using VideoFer.IO;

namespace VideoFer.Inference.Photos;

/// <summary>One face of a photo as its folder's <c>faces.json</c> records it, for the corpus: people linked across
/// photos, the photo grid of the corpus page.</summary>
public sealed record PhotoFaceRecord(
    [property: JsonPropertyName("face")] int Face,
    [property: JsonPropertyName("box")] float[] Box,
    [property: JsonPropertyName("score")] float Score,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("probabilities")] float[] Probabilities,
    [property: JsonPropertyName("thumbnail")] string Thumbnail,
    [property: JsonPropertyName("identity")] string? Identity)
{
    /// <summary>The identity descriptor, or null (a face too small or in profile to compare).</summary>
    public float[]? IdentityVector() => Identity is null ? null : PhotoOutputs.DecodeVector(Identity);
}

/// <summary>What predict writes for a photo of a collection: its rows of <c>predictions.csv</c> (frame 1, the face
/// as track and, until the corpus links people across photos, as person), the annotated photo
/// (<c>annotated.jpg</c>), a thumbnail of each face (<c>faces/&lt;n&gt;.jpg</c>, the model's upright square) and
/// <c>faces.json</c>. No timeline, ABAW file or page of its own: the corpus page shows the photos as a grid of faces.</summary>
public static class PhotoOutputs
{
    public const string FacesFile = "faces.json";
    public const string FacesFolder = "faces";
    public const string Annotated = "annotated.jpg";
    public const int ThumbnailSide = 96;

    /// <param name="people">False with --people off: no person column, as a video's CSV then has none.</param>
    public static void Write(string directory, PhotoAnalysis photo, Mat image, bool annotate, string? fingerprint = null, bool people = true)
    {
        Directory.CreateDirectory(directory);
        var names = photo.ClassNames;
        AtomicFile.WriteText(Path.Combine(directory, "predictions.csv"), w =>
        {
            w.Write(PredictionCsv.Header(names, people) + "\n");
            foreach (var f in photo.Faces)
            {
                var b = f.Detection.Box;
                w.Write(string.Create(CultureInfo.InvariantCulture, $"1,0,{f.Index},{(people ? $"{f.Index}," : "")}{b.X:0.#},{b.Y:0.#},{b.Width:0.#},{b.Height:0.#},{f.Detection.Score:0.###},"));
                w.Write(string.Join(',', f.Probabilities.Select(PredictionCsv.Probability)));
                w.Write("," + names[f.Label] + "\n");
            }
        });
        var records = new List<PhotoFaceRecord>();
        foreach (var f in photo.Faces)
        {
            string thumb = $"{FacesFolder}/{f.Index}.jpg";
            using (var square = FaceSquare.Cut(image, f.Detection, ThumbnailSide))
                WriteJpeg(Path.Combine(directory, FacesFolder, $"{f.Index}.jpg"), square, 85);
            var b = f.Detection.Box;
            records.Add(new PhotoFaceRecord(f.Index, [b.X, b.Y, b.Width, b.Height], f.Detection.Score, names[f.Label], [.. f.Probabilities],
                thumb, f.Identity is null ? null : EncodeVector(f.Identity)));
        }
        AtomicFile.WriteText(Path.Combine(directory, FacesFile), w => w.Write(JsonOutput.Serialize(records)));
        if (annotate)
        {
            foreach (var f in photo.Faces) AnnotatedVideo.Draw(image, f.Detection.Box, $"#{f.Index}", f.Index, f.Probabilities, f.Label, names);
            WriteJpeg(Path.Combine(directory, Annotated), image, 90);
        }
        var counts = names.ToDictionary(n => n, n => photo.Faces.Count(f => names[f.Label] == n));
        var summary = new Dictionary<string, object?>
        {
            ["source"] = photo.Source,
            ["kind"] = "photo",
            ["frames"] = 1,
            ["frames_with_face"] = photo.Faces.Count > 0 ? 1 : 0,
            ["tracks"] = photo.Faces.Count,
            ["faces"] = photo.Faces.Count,
            ["label_counts"] = counts,
            ["width"] = photo.Width,
            ["height"] = photo.Height,
            ["seconds"] = Math.Round(photo.Seconds, 3),
            ["model"] = photo.Model,
            ["fingerprint"] = fingerprint,
        };
        AtomicFile.WriteText(Path.Combine(directory, Corpus.CorpusFolder.InputSummaryFile), w => w.Write(JsonOutput.Serialize(summary, indented: true)));
    }

    /// <summary>Reads a photo folder's faces.json.</summary>
    public static IReadOnlyList<PhotoFaceRecord> ReadFaces(string directory)
    {
        string path = Path.Combine(directory, FacesFile);
        try { return System.Text.Json.JsonSerializer.Deserialize<List<PhotoFaceRecord>>(File.ReadAllText(path), JsonOutput.Compact) ?? []; }
        catch (System.Text.Json.JsonException e) { throw VideoFerException.InFile(path, $"unreadable ({e.Message})"); }
    }

    static void WriteJpeg(string path, Mat image, int quality) =>
        AtomicFile.Write(path, temp =>
        {
            if (!Cv2.ImWrite(temp, image, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality)))
                throw new VideoFerException($"{path}: could not write the picture");
        });

    /// <summary>A float vector as base64 of its little-endian float32 bytes (4 KB for FaceRes's 1024 values).</summary>
    public static string EncodeVector(float[] v)
    {
        var bytes = new byte[v.Length * 4];
        Buffer.BlockCopy(v, 0, bytes, 0, bytes.Length);
        return Convert.ToBase64String(bytes);
    }

    public static float[] DecodeVector(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var v = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, v, 0, v.Length * 4);
        return v;
    }
}
