using System.Diagnostics;
using OpenCvSharp;
using VideoFer.FaceBench;
using VideoFer.Vision.Faces.Detection;

BenchOptions o;
try { o = BenchOptions.Parse(args); }
catch (HelpRequested) { Console.WriteLine(BenchOptions.Usage); return 0; }
catch (ArgumentException e) { Console.Error.WriteLine($"facebench: {e.Message}\n{BenchOptions.Usage}"); return 2; }

// The bench replaces its own earlier output (known-by-human-alone/ is cleared): it refuses a folder that holds
// anything else, and marks the folder it writes.
const string Marker = ".facebench";
if (Directory.Exists(o.OutDir) && Directory.EnumerateFileSystemEntries(o.OutDir).Any() && !File.Exists(Path.Combine(o.OutDir, Marker)))
{
    Console.Error.WriteLine($"facebench: {o.OutDir} holds files that are not an earlier facebench's output; give a new or empty folder");
    return 2;
}
Directory.CreateDirectory(o.OutDir);
File.WriteAllText(Path.Combine(o.OutDir, Marker), "VideoFer.FaceBench output: the bench may replace what is in this folder\n");
var log = new Log();
var machine = MachineInfo.Now();
log.Say($"facebench: {machine.Cpu}, {Environment.ProcessorCount} CPUs, load {machine.LoadAverage}; {o.Threads} worker thread(s)");

var (images, sets) = Inputs.Load(o);
foreach (var s in sets)
    log.Say(s.Skipped != null ? $"  {s.Name}: SKIPPED: {s.Skipped}" : $"  {s.Name}: {s.Images} images ({s.Selection})");
if (images.Count == 0) { Console.Error.WriteLine("facebench: no images at all (see above)"); return 3; }

var conditions = Condition.All.Where(c => o.Conditions.Length == 0 || o.Conditions.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
if (conditions.Count == 0) { Console.Error.WriteLine("facebench: --conditions matched none of: " + string.Join(", ", Condition.All.Select(c => c.Name))); return 2; }

// One OpenCV thread per worker: the workers are the parallelism, and a detection's CPU time is its thread's.
Cv2.SetNumThreads(1);

var variants = new[]
{
    new Variant("default", "VideoFer (default)", new FaceDetectorOptions()),
    new Variant("no-close-ups", "VideoFer without close-ups", new FaceDetectorOptions { CloseUps = false }),
    new Variant("no-turned", "VideoFer without turned faces", new FaceDetectorOptions { TurnedFaces = false }),
    new Variant("neither", "VideoFer without either (as before issue 24)", new FaceDetectorOptions { CloseUps = false, TurnedFaces = false }),
};

var total = Stopwatch.StartNew();
var bench = new Bench(o, images, conditions, log);

// 1. Known boxes: VideoFer's default full search and Human on the undegraded images.
string? humanProblem = null;
System.Text.Json.JsonElement? humanInfo = null;
var vfClean = bench.RunClean(variants[0]);
List<List<Found>>? humanClean = null;
if (o.Human)
{
    try
    {
        (humanClean, humanInfo) = bench.RunHumanClean();
    }
    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
    {
        humanProblem = e.Message;
        log.Say($"Human: NOT RUN: {e.Message}");
    }
}
else humanProblem = "not asked for (--no-human)";
var known = bench.MakeKnown(vfClean, humanClean);

// 2. Every condition, each detector on its own (timed separately).
var results = new List<DetectorResult>();
if (humanClean != null) results.Add(bench.RunHuman());
foreach (var v in variants) results.Add(bench.Run(v, known, saveMisses: v == variants[0] ? results.FirstOrDefault(r => r.Id == "human") : null));

var report = new Report(o, machine, MachineInfo.Now(), sets, conditions, images, known, results, humanInfo, humanProblem, bench, total.Elapsed, args);
report.Write();
var facelessVariants = variants.Select(v => (v.Title, v.Options))
    .Append(("VideoFer, turned faces at MediaPipe's 0.5", new FaceDetectorOptions { TurnedMinScore = 0.5f }))
    .Append(("VideoFer, close-ups at 0.6", new FaceDetectorOptions { CloseUpMinScore = 0.6f }));
File.AppendAllText(report.MarkdownPath, Faceless.Markdown(o.FacelessDir, facelessVariants, log));
log.Say($"facebench: done in {total.Elapsed.TotalMinutes:F1} min; {report.JsonPath}, {report.MarkdownPath}");
return 0;
