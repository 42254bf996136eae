using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenCvSharp;
using VideoFer.Vision.Faces;
using VideoFer.Vision.Faces.Detection;

namespace VideoFer.FaceBench;

/// <summary>A VideoFer detector setting under test.</summary>
sealed record Variant(string Id, string Title, FaceDetectorOptions Options);

/// <summary>A face known to be in a source image: found by VideoFer's default search on the undegraded image, or by
/// Human alone there (<see cref="Origin"/> "human": VideoFer missed it on the clean image).</summary>
sealed record KnownFace(Rect2f Box, string Origin, float Score);

/// <summary>One known face in one condition, for one detector.</summary>
readonly record struct FaceOutcome(int Image, int Condition, int Known, bool HitIoU, bool HitCentre, float BestIoU);

/// <summary>Totals of one detector in one condition.</summary>
sealed class ConditionStats
{
    public int Images, Faces, HitsIoU, HitsCentre, Extra, Calls;
    public double Seconds, CpuSeconds;
    public readonly Dictionary<string, int[]> PerSet = []; // set -> [faces, hits IoU, hits centre]
}

/// <summary>What one detector did over every image and condition.</summary>
sealed class DetectorResult(string id, string title, int conditions)
{
    public string Id { get; } = id;
    public string Title { get; } = title;
    public ConditionStats[] PerCondition { get; } = [.. Enumerable.Range(0, conditions).Select(_ => new ConditionStats())];
    public List<FaceOutcome> Faces { get; } = [];
    public Dictionary<(int Image, int Condition), List<Found>> Detections { get; } = [];
    public double WallSeconds { get; set; }
    public int Threads { get; set; }
    public string TimeSource { get; set; } = "";
}

/// <summary>CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): what a detection cost,
/// whatever else the machine was doing. Valid for VideoFer because OpenCV runs on the calling thread
/// (Cv2.SetNumThreads(1)).</summary>
static class ThreadCpu
{
    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Seconds, Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGettime(int clock, out Timespec time);

    const int ClockThreadCpuTime = 3;

    public static double Seconds() =>
        ClockGettime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : double.NaN;
}

sealed class Log
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    public void Say(string line)
    {
        lock (this) Console.Error.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {line}");
    }
}

/// <summary>Runs the detectors over the images and conditions and scores them.</summary>
sealed class Bench(BenchOptions o, List<SourceImage> images, List<Condition> conditions, Log log)
{
    /// <summary>A detection hits a target when its IoU with the target box is at least this.</summary>
    public const float IoUThreshold = 0.3f;

    /// <summary>A face that Human alone finds on an undegraded image is a known face from this score up: at its default
    /// threshold (0.2) Human also boxes hair, hands and shirt collars (0.2-0.4 on the real photos), which would count as
    /// faces VideoFer misses; the real faces it alone found scored 0.5 and more.</summary>
    public const float HumanOnlyMinScore = 0.5f;

    List<KnownFace>[] _known = [];

    /// <summary>Faces Human alone found on the undegraded images below <see cref="HumanOnlyMinScore"/> (not known faces).</summary>
    public int HumanOnlyBelowScore { get; private set; }

    /// <summary>Where both found a face on the undegraded images: Human's box side / VideoFer's, and their IoU.</summary>
    public List<(float SideRatio, float IoU)> CleanAgreement { get; } = [];

    /// <summary>Every face that Human alone found on an undegraded image, drawn (blue) on its image: known faces in
    /// known-by-human-alone/, those below <see cref="HumanOnlyMinScore"/> (not counted) in known-by-human-alone/below-min-score/.</summary>
    void SaveHumanOnly(List<Found>[] videofer, List<List<Found>> human)
    {
        var dir = Path.Combine(o.OutDir, "known-by-human-alone");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        for (int i = 0; i < images.Count; i++)
            foreach (var h in human[i])
            {
                if (videofer[i].Any(v => HitIoU(h.Box, Same(v.Box)) || HitCentre(h.Box, Same(v.Box)))) continue;
                var folder = h.Score >= HumanOnlyMinScore ? dir : Path.Combine(dir, "below-min-score");
                Directory.CreateDirectory(folder);
                using var canvas = images[i].Image.Clone();
                int thick = Math.Max(2, Math.Max(canvas.Width, canvas.Height) / 400);
                canvas.Rectangle(new Rect((int)h.Box.X, (int)h.Box.Y, (int)h.Box.Width, (int)h.Box.Height), new Scalar(255, 0, 0), thick);
                Cv2.ImWrite(Path.Combine(folder, $"{MissWriter.Slug(images[i].Set)}_{MissWriter.Slug(MissWriter.Stem(images[i].Name))}" +
                                                 $"_x{(int)h.Box.X}y{(int)h.Box.Y}_score{h.Score:F2}.png"), canvas);
            }
    }

    static Target Same(Rect2f b) => new(0, b, new Point2f(b.X + b.Width / 2, b.Y + b.Height / 2), (b.Width + b.Height) / 2);

    public static bool HitIoU(Rect2f detection, Target t) => FaceDetection.IoU(detection, t.Box) >= IoUThreshold;

    /// <summary>The centre rule: the detection's centre within half the known box's side of the known centre.</summary>
    public static bool HitCentre(Rect2f detection, Target t)
    {
        float dx = detection.X + detection.Width / 2 - t.Centre.X, dy = detection.Y + detection.Height / 2 - t.Centre.Y;
        return MathF.Sqrt(dx * dx + dy * dy) < t.Side / 2;
    }

    static List<Found> Convert(IReadOnlyList<FaceDetection> faces) => [.. faces.Select(f => new Found(f.Box, f.Score))];

    /// <summary>Runs <paramref name="work"/>(state, image index) over every image on <see cref="BenchOptions.Threads"/>
    /// threads, each with its own state (a detector, a Node process).</summary>
    void ForEachImage<T>(string what, Func<int, T> makeState, Action<T, int> work) where T : IDisposable
    {
        int next = -1, done = 0, step = Math.Max(1, images.Count / 10);
        Exception? failure = null;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, o.Threads).Select(t => new Thread(() =>
        {
            try
            {
                using var state = makeState(t);
                for (int i; (i = Interlocked.Increment(ref next)) < images.Count && failure == null;)
                {
                    work(state, i);
                    int d = Interlocked.Increment(ref done);
                    if (d % step == 0 || d == images.Count) log.Say($"  {what}: {d}/{images.Count} images, {clock.Elapsed.TotalSeconds:F0} s");
                }
            }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
        }) { IsBackground = true, Name = $"{what} {t}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure != null) throw failure is InvalidOperationException or IOException ? failure : new AggregateException(failure);
    }

    /// <summary>VideoFer's faces on the undegraded images.</summary>
    public List<Found>[] RunClean(Variant v)
    {
        log.Say($"known boxes: {v.Title} on {images.Count} undegraded images");
        var found = new List<Found>[images.Count];
        ForEachImage("known (VideoFer)", _ => new BlazeFaceDetector(v.Options), (d, i) => found[i] = Convert(d.Detect(images[i].Image)));
        return found;
    }

    HumanClient NewHuman(int worker) =>
        new(o.Node, o.HumanScript, Path.Combine(o.OutDir, $"human-{worker}.log"));

    /// <summary>Human's faces on the undegraded images, and what it said about itself.</summary>
    public (List<List<Found>>, JsonElement) RunHumanClean()
    {
        if (!File.Exists(o.HumanScript)) throw new InvalidOperationException($"{o.HumanScript} not found");
        log.Say($"known boxes: Human on {images.Count} undegraded images");
        var found = new List<Found>[images.Count];
        JsonElement info = default;
        ForEachImage("known (Human)", w => { var h = NewHuman(w); if (w == 0) info = h.Info; return h; }, (h, i) => found[i] = h.Detect(images[i].Image).Faces);
        return ([.. found], info);
    }

    /// <summary>The known faces: VideoFer's, then Human's that match none of VideoFer's (by either rule).</summary>
    public List<KnownFace>[] MakeKnown(List<Found>[] videofer, List<List<Found>>? human)
    {
        _known = new List<KnownFace>[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var list = videofer[i].Select(f => new KnownFace(f.Box, "videofer", f.Score)).ToList();
            if (human != null)
                foreach (var h in human[i])
                {
                    bool seen = videofer[i].Any(v => HitIoU(h.Box, Same(v.Box)) || HitCentre(h.Box, Same(v.Box)));
                    if (!seen && h.Score >= HumanOnlyMinScore && !list.Any(k => k.Origin == "human" && FaceDetection.IoU(k.Box, h.Box) >= IoUThreshold))
                        list.Add(new KnownFace(h.Box, "human", h.Score));
                }
            _known[i] = list;
        }
        if (human != null)
        {
            // Human's box against VideoFer's where both found a face (IoU rule): side ratio and IoU.
            for (int i = 0; i < images.Count; i++)
                foreach (var v in videofer[i])
                    if (human[i].Where(h => HitIoU(h.Box, Same(v.Box))).Select(h => h.Box).Cast<Rect2f?>().MaxBy(h => FaceDetection.IoU(h!.Value, v.Box)) is Rect2f hb)
                        CleanAgreement.Add((MathF.Sqrt(hb.Width * hb.Height / (v.Box.Width * v.Box.Height)), FaceDetection.IoU(hb, v.Box)));
            SaveHumanOnly(videofer, human);
        }
        if (human != null)
            HumanOnlyBelowScore = Enumerable.Range(0, images.Count).Sum(i => human[i].Count(h => h.Score < HumanOnlyMinScore && !videofer[i].Any(v => HitIoU(h.Box, Same(v.Box)) || HitCentre(h.Box, Same(v.Box)))));
        log.Say($"known faces: {_known.Sum(k => k.Count)} in {_known.Count(k => k.Count > 0)} of {images.Count} images " +
                $"({_known.Sum(k => k.Count(f => f.Origin == "human"))} found by Human alone)");
        return _known;
    }

    /// <summary>Human over every condition.</summary>
    public DetectorResult RunHuman()
    {
        var result = new DetectorResult("human", "Human 3.3.6", conditions.Count) { Threads = o.Threads, TimeSource = "Human's own time per image (tensor in, result out), in Node" };
        log.Say($"Human: {conditions.Count} conditions");
        var clock = Stopwatch.StartNew();
        ForEachImage("Human", NewHuman, (h, i) => RunImage(result, i, img => { var (f, ms) = h.Detect(img); return (f, ms / 1000, double.NaN); }, null));
        result.WallSeconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>One VideoFer variant over every condition; <paramref name="saveMisses"/>: also write PNGs of its misses
    /// (with Human's detections there).</summary>
    public DetectorResult Run(Variant v, List<KnownFace>[] known, DetectorResult? saveMisses)
    {
        var result = new DetectorResult(v.Id, v.Title, conditions.Count) { Threads = o.Threads, TimeSource = "BlazeFaceDetector.Detect wall time per image, summed over threads" };
        log.Say($"{v.Title}: {conditions.Count} conditions");
        var clock = Stopwatch.StartNew();
        var misses = v.Id == "default" && o.MissesPerCondition > 0 ? new MissWriter(o, conditions, saveMisses) : null;
        ForEachImage(v.Title, _ => new BlazeFaceDetector(v.Options), (d, i) => RunImage(result, i, img =>
        {
            double cpu = ThreadCpu.Seconds();
            var sw = Stopwatch.StartNew();
            var faces = d.Detect(img);
            double wall = sw.Elapsed.TotalSeconds;
            return (Convert(faces), wall, ThreadCpu.Seconds() - cpu);
        }, misses));
        result.WallSeconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    void RunImage(DetectorResult result, int i, Func<Mat, (List<Found>, double Seconds, double CpuSeconds)> detect, MissWriter? misses)
    {
        var known = _known[i];
        if (known.Count == 0) return;
        var boxes = known.Select(k => k.Box).ToList();
        for (int c = 0; c < conditions.Count; c++)
        {
            using var degraded = conditions[c].Apply(images[i].Image, boxes);
            if (degraded == null || degraded.Targets.Length == 0) continue;
            var (found, seconds, cpuSeconds) = detect(degraded.Image);
            var outcomes = degraded.Targets.Select(t => new FaceOutcome(i, c, t.Known,
                found.Any(f => HitIoU(f.Box, t)), found.Any(f => HitCentre(f.Box, t)),
                found.Count == 0 ? 0 : found.Max(f => FaceDetection.IoU(f.Box, t.Box)))).ToList();
            int extra = found.Count(f => !degraded.Targets.Any(t => HitIoU(f.Box, t) || HitCentre(f.Box, t)));
            lock (result)
            {
                var s = result.PerCondition[c];
                s.Images++; s.Calls++; s.Seconds += seconds; s.CpuSeconds += cpuSeconds; s.Extra += extra;
                s.Faces += outcomes.Count; s.HitsIoU += outcomes.Count(x => x.HitIoU); s.HitsCentre += outcomes.Count(x => x.HitCentre);
                if (!s.PerSet.TryGetValue(images[i].Set, out var perSet)) s.PerSet[images[i].Set] = perSet = new int[3];
                perSet[0] += outcomes.Count; perSet[1] += outcomes.Count(x => x.HitIoU); perSet[2] += outcomes.Count(x => x.HitCentre);
                result.Faces.AddRange(outcomes);
                result.Detections[(i, c)] = found;
            }
            if (misses != null)
                foreach (var x in outcomes.Where(x => !x.HitIoU))
                    misses.Save(images[i], i, c, degraded, degraded.Targets.First(t => t.Known == x.Known), found);
        }
    }
}

/// <summary>PNGs of missed faces: the target box green, VideoFer's detections red, Human's blue (when it ran).</summary>
sealed class MissWriter(BenchOptions o, List<Condition> conditions, DetectorResult? human)
{
    readonly int[] _saved = new int[conditions.Count];

    public void Save(SourceImage source, int image, int condition, Degraded degraded, Target target, List<Found> found)
    {
        // Spread over the sets: at most half of a condition's files from the real photos.
        lock (_saved)
        {
            if (_saved[condition] >= o.MissesPerCondition) return;
            if (source.Set == Inputs.RealFaces && _saved[condition] % 2 == 1 && image % 5 != 0) return;
            _saved[condition]++;
        }
        List<Found>? humanFound = null;
        if (human != null) lock (human) human.Detections.TryGetValue((image, condition), out humanFound);
        using var canvas = degraded.Image.Clone();
        static Rect R(Rect2f b) => new((int)Math.Round(b.X), (int)Math.Round(b.Y), (int)Math.Round(b.Width), (int)Math.Round(b.Height));
        int thick = Math.Max(1, Math.Max(canvas.Width, canvas.Height) / 500);
        canvas.Rectangle(R(target.Box), new Scalar(0, 255, 0), thick);
        foreach (var f in found) canvas.Rectangle(R(f.Box), new Scalar(0, 0, 255), thick);
        foreach (var f in humanFound ?? []) canvas.Rectangle(R(f.Box), new Scalar(255, 0, 0), thick);
        bool humanHit = humanFound?.Any(f => Bench.HitIoU(f.Box, target)) ?? false;
        var dir = Path.Combine(o.OutDir, "misses", Slug(conditions[condition].Name));
        Directory.CreateDirectory(dir);
        var name = $"{Slug(source.Set)}_{Slug(Stem(source.Name))}_face{target.Known}" +
                   (human == null ? "" : humanHit ? "_human-hit" : "_human-miss") + ".png";
        Cv2.ImWrite(Path.Combine(dir, name), canvas);
    }

    /// <summary>A picture's name without .jpg; a video frame's name (video.mp4#frame) as it is.</summary>
    public static string Stem(string name) => name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;

    public static string Slug(string s) => new([.. s.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch == '.' ? ch : '-')]);
}
