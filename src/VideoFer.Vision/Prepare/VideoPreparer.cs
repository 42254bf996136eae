using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using VideoFer.IO;
using VideoFer.Vision.Faces.Detection;
using VideoFer.Vision.Pipeline;
using VideoFer.Vision.Video;
using VideoFer.Formats;

namespace VideoFer.Vision.Prepare;

/// <summary>Turns one video (or frame folder, or image) into Aff-Wild2-style aligned face crops and a CSV
/// of detections. Everything is written under <c>.partial/&lt;stem&gt;/</c> and moved into place only when
/// the whole video decoded, so a crash or a bad file never leaves half a video in cropped_aligned/; a
/// marker file then records completion so a rerun skips the video.
/// <para>Several runs may share one output folder (shards, separate corpora), so each video is held
/// by a lock of its own while it is prepared; a run deletes only the outputs that its own manifest or
/// marker for that video names, and never replaces a folder it did not write.</para></summary>
public sealed class VideoPreparer : IDisposable
{
    const string ManifestName = "manifest.json";
    const string RawCsvName = "detections.raw.csv";

    readonly PrepareOptions _options;
    readonly IFaceDetector? _detector;
    FacePipeline? _pipeline;

    /// <param name="detector">Use this detector instead of loading BlazeFace (tests); not disposed here.</param>
    public VideoPreparer(PrepareOptions options, IFaceDetector? detector = null)
    {
        _options = options;
        _detector = detector;
        Layout = new OutputLayout(options.OutputDirectory, options.Pipeline.CropSizes);
    }

    public OutputLayout Layout { get; }

    /// <summary>True when an earlier run finished <paramref name="stem"/>.</summary>
    public bool IsComplete(string stem) => File.Exists(Layout.DoneMarker(stem));

    public PrepareResult Prepare(string input, Action<PrepareProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string stem = MediaSource.StemOf(input);
        try
        {
            using var held = Hold(stem);
            if (!_options.Force && IsComplete(stem))
                return ReadMarker(input, stem);

            // Leftovers of an interrupted run (or of the run being redone) go first.
            CleanUp(stem);
            return PrepareHeld(input, stem, progress, cancellationToken);
        }
        finally
        {
            RemoveEmptyPartialRoot();
        }
    }

    /// <summary>The lock of one video's outputs, so that two runs never prepare (or clean up) the same
    /// video at once.</summary>
    FileLock Hold(string stem)
    {
        Directory.CreateDirectory(Layout.PartialRoot);
        return FileLock.TryAcquire(Layout.Lock(stem), deleteOnRelease: true)
            ?? throw new VideoFerException($"{stem}: another VideoFer run is preparing this video in {Layout.Root} right now; " +
                                           "it is skipped here (run again later to check it finished)");
    }

    PrepareResult PrepareHeld(string input, string stem, Action<PrepareProgress>? progress, CancellationToken cancellationToken)
    {
        using var source = MediaSource.Open(input, _options.ImageFps);
        _pipeline ??= new FacePipeline(_options.Pipeline, _detector);

        string partial = Layout.Partial(stem);
        Directory.CreateDirectory(partial);
        var sizes = Layout.CropSizes;
        var quality = new ImageEncodingParam(ImwriteFlags.JpegQuality, _options.JpegQuality);
        var tracks = new Dictionary<int, (int First, int Count, double SumX)>();
        int frames = 0, crops = 0;

        try
        {
            using (var raw = new StreamWriter(Path.Combine(partial, RawCsvName)))
            {
                foreach (var frame in _pipeline.Process(source, cancellationToken))
                    using (frame)
                    {
                        frames = frame.Index;
                        foreach (var face in frame.Faces)
                        {
                            foreach (int size in sizes)
                            {
                                string folder = Path.Combine(partial, $"crops{size}", $"t{face.TrackId}");
                                if (!tracks.ContainsKey(face.TrackId)) Directory.CreateDirectory(folder);
                                string file = Path.Combine(folder, OutputLayout.FrameFileName(frame.Index));
                                if (!Cv2.ImWrite(file, face.Crop(size), quality))
                                    throw VideoFerException.InFile(file, "could not write the face crop (disk full or not writable?)");
                            }
                            var t = tracks.GetValueOrDefault(face.TrackId, (First: frame.Index, Count: 0, SumX: 0.0));
                            tracks[face.TrackId] = (t.First, t.Count + 1, t.SumX + face.Detection.Center.X);
                            raw.WriteLine(FaceCsv.Row(frame.Index, frame.Time, face.TrackId, "", face.Detection));
                            crops++;
                        }
                        progress?.Invoke(new PrepareProgress(stem, frame.Index, source.FrameCount, crops));
                    }
            }
            return Commit(input, stem, frames, tracks);
        }
        catch
        {
            RemovePartial(stem);
            throw;
        }
    }

    /// <summary>Drops spurious tracks, names the streams, writes the final CSV and moves everything into place.</summary>
    PrepareResult Commit(string input, string stem, int frames, Dictionary<int, (int First, int Count, double SumX)> tracks)
    {
        string partial = Layout.Partial(stem);
        int minFrames = Math.Max(1, Math.Min(_options.MinTrackFrames, frames));
        var kept = tracks.Where(t => t.Value.Count >= minFrames)
            .Select(t => new FaceStreamNaming.TrackSummary(t.Key, t.Value.First, t.Value.SumX / t.Value.Count));
        var names = FaceStreamNaming.Assign(stem, kept, _options.LeftRightNames);

        // Final CSV: raw rows carry the tracker's ids; rewrite them with stream numbers and names.
        string csvTemp = Path.Combine(partial, "faces.csv");
        int faces = 0;
        using (var reader = new StreamReader(Path.Combine(partial, RawCsvName)))
        using (var writer = new StreamWriter(csvTemp))
        {
            writer.WriteLine(FaceCsv.Header);
            for (string? line; (line = reader.ReadLine()) != null;)
            {
                var cells = line.Split(',');
                int rawId = int.Parse(cells[2], CultureInfo.InvariantCulture);
                if (!names.TryGetValue(rawId, out var name)) continue;
                cells[2] = name.Number.ToString(CultureInfo.InvariantCulture);
                cells[3] = Quote(name.Name);
                writer.WriteLine(string.Join(',', cells));
                faces++;
            }
        }

        var streams = names.Values.OrderBy(n => n.Number).Select(n => n.Name).ToArray();
        var targets = Layout.CropSizes.SelectMany(s => streams.Select(n => PathGuard.Combine(Layout.CropRoot(s), n)))
            .Append(Layout.Csv(stem)).ToArray();
        // Our earlier outputs of this video were removed by CleanUp; anything still there was written by
        // someone else (another video's streams, the organisers' crops) and is never replaced.
        if (targets.FirstOrDefault(t => Directory.Exists(t) || File.Exists(t)) is { } taken)
            throw VideoFerException.InFile(taken, $"exists and was not written by `videofer prepare` for {stem}; " +
                                                  "move it away or prepare into another --out");
        // The manifest lets a rerun remove what a crash during the moves below left behind.
        File.WriteAllText(Path.Combine(partial, ManifestName), JsonOutput.Serialize(targets));

        foreach (int size in Layout.CropSizes)
        {
            Directory.CreateDirectory(Layout.CropRoot(size));
            foreach (var (rawId, name) in names)
                Directory.Move(Path.Combine(partial, $"crops{size}", $"t{rawId}"), Path.Combine(Layout.CropRoot(size), name.Name));
        }
        Directory.CreateDirectory(Layout.FacesFolder);
        File.Move(csvTemp, Layout.Csv(stem), overwrite: true);

        var marker = new Marker(input, stem, frames, faces, streams, Layout.CropSizes.ToArray(), targets);
        AtomicFile.WriteText(Layout.DoneMarker(stem), w => w.Write(JsonOutput.Serialize(marker)));
        RemovePartial(stem);
        return new PrepareResult(input, stem, Skipped: false, frames, faces, streams, Layout.Csv(stem));
    }

    /// <summary>Removes a half-done run of <paramref name="stem"/> and, when redoing a finished one, its outputs.</summary>
    void CleanUp(string stem)
    {
        var stale = new List<string>();
        string manifest = Path.Combine(Layout.Partial(stem), ManifestName);
        if (File.Exists(manifest))
            stale.AddRange(JsonSerializer.Deserialize<string[]>(File.ReadAllText(manifest)) ?? []);
        if (File.Exists(Layout.DoneMarker(stem)))
        {
            try { stale.AddRange(JsonSerializer.Deserialize<Marker>(File.ReadAllText(Layout.DoneMarker(stem)))?.Outputs ?? []); }
            catch (JsonException) { }
            File.Delete(Layout.DoneMarker(stem));
        }
        foreach (var path in stale.Where(IsOutputPlace))
            PathGuard.Delete(Layout.Root, path);
        // A killed run's half-written marker.
        AtomicFile.RemoveOrphansOf(Layout.DoneMarker(stem));
        RemovePartial(stem);
    }

    /// <summary>Whether a path from a manifest or marker is where prepare puts a video's outputs: one
    /// entry directly in a crop folder or in faces/. Anything else (the crop folder itself, a path
    /// outside the output folder, a sibling folder that shares a prefix) is never deleted.</summary>
    bool IsOutputPlace(string path)
    {
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        return parent == Layout.FacesFolder || Layout.CropSizes.Any(s => parent == Layout.CropRoot(s));
    }

    /// <summary>Deletes the work folder of <paramref name="stem"/>.</summary>
    void RemovePartial(string stem) => PathGuard.Delete(Layout.Root, Layout.Partial(stem));

    /// <summary>Removes .partial/ once nothing is in progress there.</summary>
    void RemoveEmptyPartialRoot()
    {
        string parent = Layout.PartialRoot;
        try
        {
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
        }
        catch (IOException) { } // another process just started a video there
    }

    PrepareResult ReadMarker(string input, string stem)
    {
        Marker? m = null;
        try { m = JsonSerializer.Deserialize<Marker>(File.ReadAllText(Layout.DoneMarker(stem))); }
        catch (JsonException) { }
        return new PrepareResult(input, stem, Skipped: true, m?.Frames ?? 0, m?.Faces ?? 0, m?.Streams ?? [], Layout.Csv(stem));
    }

    static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>Contents of faces/&lt;stem&gt;.done.</summary>
    sealed record Marker(string Input, string Stem, int Frames, int Faces, string[] Streams, int[] CropSizes, string[] Outputs);

    public void Dispose() => _pipeline?.Dispose();
}
