using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoFer.FaceBench;

sealed record MachineInfo(DateTimeOffset Date, string Cpu, string LoadAverage)
{
    public static MachineInfo Now()
    {
        string cpu = "unknown CPU", load = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new MachineInfo(DateTimeOffset.Now, cpu, load);
    }
}

/// <summary>face-robustness.json (every number) and face-robustness.md (the tables) in the output folder, and
/// face-robustness-faces.csv (one row per known face, condition and detector).</summary>
sealed class Report(BenchOptions o, MachineInfo start, MachineInfo end, List<SetInfo> sets, List<Condition> conditions,
    List<SourceImage> images, List<KnownFace>[] known, List<DetectorResult> results, JsonElement? humanInfo, string? humanProblem,
    Bench bench, TimeSpan duration, string[] args)
{
    public string JsonPath => Path.Combine(o.OutDir, "face-robustness.json");
    public string MarkdownPath => Path.Combine(o.OutDir, "face-robustness.md");
    string CsvPath => Path.Combine(o.OutDir, "face-robustness-faces.csv");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static double Pct(int a, int b) => b == 0 ? double.NaN : Math.Round(100.0 * a / b, 1);
    static string P(int a, int b) => b == 0 ? "–" : (100.0 * a / b).ToString("F1", Inv);
    DetectorResult? Get(string id) => results.FirstOrDefault(r => r.Id == id);
    /// <summary>Images per second on <paramref name="threads"/> threads from the detection's wall time.</summary>
    static double Rate(ConditionStats s, int threads) => s.Seconds > 0 ? s.Calls / (s.Seconds / threads) : double.NaN;

    /// <summary>Images per second on <paramref name="threads"/> otherwise idle cores, from the detecting threads' CPU time
    /// (VideoFer only): what a loaded machine does not distort.</summary>
    static double CpuRate(ConditionStats s, int threads) => s.CpuSeconds > 0 ? s.Calls / (s.CpuSeconds / threads) : double.NaN;

    static double Total(DetectorResult r, Func<ConditionStats, double> f) => r.PerCondition.Sum(f);

    public const string IoURule = "IoU >= 0.3 with the known box carried through the degradation (for rolls: the axis-aligned bounds of the rotated known box)";
    public const string CentreRule = "centre of the detection within half the known box's side (mean of width and height, at the new scale) of the known box's carried centre";

    public void Write()
    {
        WriteJson();
        File.WriteAllText(MarkdownPath, Markdown());
        WriteCsv();
    }

    string Command => "VideoFer.FaceBench " + string.Join(' ', args);

    void WriteJson()
    {
        var human = Get("human");
        var ious = bench.CleanAgreement.Select(a => (double)a.IoU).Order().ToList();
        var ratios = bench.CleanAgreement.Select(a => (double)a.SideRatio).Order().ToList();
        static JsonNode? Q(List<double> v, double q) => v.Count > 0 ? Math.Round(v[(int)Math.Min(v.Count - 1, q * v.Count)], 3) : null;
        var root = new JsonObject
        {
            ["date"] = start.Date.ToString("yyyy-MM-dd HH:mm zzz", Inv),
            ["command"] = Command,
            ["machine"] = new JsonObject
            {
                ["cpu"] = start.Cpu, ["logicalCpus"] = Environment.ProcessorCount,
                ["loadAverageAtStart"] = start.LoadAverage, ["loadAverageAtEnd"] = end.LoadAverage,
            },
            ["threads"] = o.Threads,
            ["openCvThreadsPerWorker"] = OpenCvSharp.Cv2.GetNumThreads(),
            ["durationSeconds"] = Math.Round(duration.TotalSeconds, 1),
            ["sets"] = new JsonArray([.. sets.Select(s => new JsonObject
            {
                ["name"] = s.Name, ["source"] = s.Source, ["images"] = s.Images, ["selection"] = s.Selection, ["skipped"] = s.Skipped,
                ["imagesWithKnownFace"] = images.Select((im, i) => (im, i)).Count(x => x.im.Set == s.Name && known[x.i].Count > 0),
                ["knownFaces"] = images.Select((im, i) => (im, i)).Where(x => x.im.Set == s.Name).Sum(x => known[x.i].Count),
                ["knownFacesFoundByHumanAlone"] = images.Select((im, i) => (im, i)).Where(x => x.im.Set == s.Name).Sum(x => known[x.i].Count(k => k.Origin == "human")),
            })]),
            ["rules"] = new JsonObject { ["iou"] = IoURule, ["centre"] = CentreRule, ["tableUses"] = "iou" },
            ["knownBoxes"] = "VideoFer's default full search on the undegraded image; plus each face Human finds there that matches none of VideoFer's (by either rule), which counts as a miss of every VideoFer variant on the clean image",
            ["human"] = new JsonObject
            {
                ["ran"] = human != null, ["problem"] = humanProblem,
                ["info"] = humanInfo is JsonElement e ? JsonNode.Parse(e.GetRawText()) : null,
                ["humanOnlyMinScore"] = Bench.HumanOnlyMinScore,
                ["humanOnlyFacesBelowMinScore"] = bench.HumanOnlyBelowScore,
                ["cleanBothFound"] = bench.CleanAgreement.Count,
                ["cleanIoUWithVideoFer"] = new JsonObject { ["p10"] = Q(ious, 0.1), ["median"] = Q(ious, 0.5), ["p90"] = Q(ious, 0.9) },
                ["cleanBoxSideHumanOverVideoFer"] = new JsonObject { ["p10"] = Q(ratios, 0.1), ["median"] = Q(ratios, 0.5), ["p90"] = Q(ratios, 0.9) },
            },
            ["detectors"] = new JsonArray([.. results.Select(r => new JsonObject
            {
                ["id"] = r.Id, ["title"] = r.Title, ["wallSeconds"] = Math.Round(r.WallSeconds, 1), ["threads"] = r.Threads, ["time"] = r.TimeSource,
                ["calls"] = Total(r, s => s.Calls),
                ["imagesPerSecondFromDetectWallTime"] = Math.Round(Total(r, s => s.Calls) / (Total(r, s => s.Seconds) / r.Threads), 2),
                ["imagesPerSecondFromThreadCpuTime"] = r.Id == "human" ? null : Math.Round(Total(r, s => s.Calls) / (Total(r, s => s.CpuSeconds) / r.Threads), 2),
                ["imagesPerSecondWholePhase"] = Math.Round(Total(r, s => s.Calls) / r.WallSeconds, 2),
            })]),
            ["conditions"] = new JsonArray([.. conditions.Select((c, ci) => new JsonObject
            {
                ["name"] = c.Name, ["group"] = c.Group, ["description"] = c.Description,
                ["detectors"] = new JsonObject(results.Select(r =>
                {
                    var s = r.PerCondition[ci];
                    return KeyValuePair.Create(r.Id, (JsonNode?)new JsonObject
                    {
                        ["images"] = s.Images, ["faces"] = s.Faces, ["hitsIoU"] = s.HitsIoU, ["hitsCentre"] = s.HitsCentre,
                        ["ratePercentIoU"] = Num(Pct(s.HitsIoU, s.Faces)), ["ratePercentCentre"] = Num(Pct(s.HitsCentre, s.Faces)),
                        ["extraDetections"] = s.Extra, ["detectSeconds"] = Math.Round(s.Seconds, 3),
                        ["detectCpuSeconds"] = r.Id == "human" ? null : Math.Round(s.CpuSeconds, 3),
                        ["imagesPerSecondFromDetectWallTime"] = Num(Math.Round(Rate(s, r.Threads), 2)),
                        ["imagesPerSecondFromThreadCpuTime"] = r.Id == "human" ? null : Num(Math.Round(CpuRate(s, r.Threads), 2)),
                        ["perSet"] = new JsonObject(s.PerSet.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject
                        {
                            ["faces"] = p.Value[0], ["hitsIoU"] = p.Value[1], ["hitsCentre"] = p.Value[2],
                            ["ratePercentIoU"] = Num(Pct(p.Value[1], p.Value[0])),
                        }))),
                    });
                })),
            })]),
        };
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(JsonPath, root.ToJsonString(options) + "\n");
    }

    static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    string Markdown()
    {
        var md = new StringBuilder();
        var ids = new[] { "default", "no-close-ups", "no-turned", "neither" };
        var human = Get("human");
        md.AppendLine("# Face detection robustness");
        md.AppendLine();
        md.AppendLine($"- Date: {start.Date:yyyy-MM-dd HH:mm zzz}; CPU: {start.Cpu} ({Environment.ProcessorCount} logical CPUs); load average (1, 5, 15 min) {start.LoadAverage} at the start, {end.LoadAverage} at the end.");
        md.AppendLine($"- Command: `{Command}`; {o.Threads} worker thread(s){(o.Threads > 1 ? ", one OpenCV thread each" : "")}; whole run {duration.TotalMinutes:F1} min.");
        foreach (var s in sets)
            md.AppendLine(s.Skipped != null ? $"- {s.Name}: **skipped**: {s.Skipped}." : $"- {s.Name}: {s.Images} images ({s.Selection}).");
        int faces = known.Sum(k => k.Count), byHuman = known.Sum(k => k.Count(f => f.Origin == "human"));
        md.AppendLine($"- Known faces: {faces} in {known.Count(k => k.Count > 0)} of {images.Count} images ({images.Count - known.Count(k => k.Count > 0)} images where neither detector found a face are left out); " +
                      $"{faces - byHuman} from VideoFer's default search on the undegraded image, {byHuman} found there by Human alone with score >= {Bench.HumanOnlyMinScore} " +
                      $"(misses of VideoFer on the clean image; drawn in known-by-human-alone/), {bench.HumanOnlyBelowScore} more found by Human alone below that score are not counted (drawn in known-by-human-alone/below-min-score/).");
        if (bench.CleanAgreement.Count > 0)
        {
            var r = bench.CleanAgreement.Select(a => a.SideRatio).Order().ToList();
            var u = bench.CleanAgreement.Select(a => a.IoU).Order().ToList();
            md.AppendLine($"- Where both found a face on the undegraded image ({r.Count}), Human's box side / VideoFer's: median {r[r.Count / 2].ToString("F2", Inv)} (10-90 %: {r[r.Count / 10].ToString("F2", Inv)}-{r[Math.Min(r.Count - 1, r.Count * 9 / 10)].ToString("F2", Inv)}); IoU median {u[u.Count / 2].ToString("F2", Inv)}.");
        }
        md.AppendLine($"- A hit: {IoURule}. Rates are hits / faces in %.");
        md.AppendLine($"- Images/s of VideoFer: images / (CPU time of the detecting threads / {o.Threads}), i.e. on {o.Threads} otherwise idle cores, `BlazeFaceDetector.Detect` only (not decoding or degrading; " +
                      "one OpenCV thread per worker, so a detection's CPU time is its thread's). From wall time instead (slowed by whatever else ran): " +
                      string.Join(", ", ids.Select(Get).Where(r => r != null).Select(r =>
                          $"{r!.Title} {(Total(r, s => s.Calls) / (Total(r, s => s.Seconds) / r.Threads)).ToString("F1", Inv)}")) + " images/s over all conditions.");
        md.AppendLine(human != null
            ? $"- Human: {HumanLine()}."
            : $"- Human: not run: {humanProblem}.");
        md.AppendLine();
        md.Append("| condition | images | faces | VideoFer default % | without close-ups % | without turned faces % | without either (before issue 24) % | Human % | img/s default | img/s w/o close-ups | img/s w/o turned | img/s w/o either |");
        md.AppendLine(human != null ? " Human img/s |" : "");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (human != null ? "---:|" : ""));
        for (int c = 0; c < conditions.Count; c++)
        {
            var d = Get("default")!.PerCondition[c];
            md.Append($"| {conditions[c].Name} | {d.Images} | {d.Faces} |");
            foreach (var id in ids) { var s = Get(id)!.PerCondition[c]; md.Append($" {P(s.HitsIoU, s.Faces)} |"); }
            md.Append(human != null ? $" {P(human.PerCondition[c].HitsIoU, human.PerCondition[c].Faces)} |" : " – |");
            foreach (var id in ids) { var r = Get(id)!; md.Append($" {CpuRate(r.PerCondition[c], r.Threads).ToString("F1", Inv)} |"); }
            if (human != null) md.Append($" {Rate(human.PerCondition[c], human.Threads).ToString("F1", Inv)} |");
            md.AppendLine();
        }
        md.AppendLine();

        md.AppendLine("By the centre rule (" + CentreRule + "), % (IoU rule in brackets where it differs):");
        md.AppendLine();
        md.AppendLine("| condition | VideoFer default | without close-ups | without turned faces | without either |" + (human != null ? " Human |" : ""));
        md.AppendLine("|---|---:|---:|---:|---:|" + (human != null ? "---:|" : ""));
        for (int c = 0; c < conditions.Count; c++)
        {
            md.Append($"| {conditions[c].Name} |");
            foreach (var r in ids.Select(Get).Append(human).Where(r => r != null))
            {
                var s = r!.PerCondition[c];
                string centre = P(s.HitsCentre, s.Faces), iou = P(s.HitsIoU, s.Faces);
                md.Append(centre == iou ? $" {centre} |" : $" {centre} ({iou}) |");
            }
            md.AppendLine();
        }
        md.AppendLine();

        var setNames = sets.Where(s => s.Skipped == null && s.Images > 0).Select(s => s.Name).ToList();
        md.AppendLine("By set, VideoFer default % / Human % (IoU rule; faces in brackets):");
        md.AppendLine();
        md.AppendLine("| condition | " + string.Join(" | ", setNames) + " |");
        md.AppendLine("|---|" + string.Concat(setNames.Select(_ => "---:|")));
        for (int c = 0; c < conditions.Count; c++)
        {
            md.Append($"| {conditions[c].Name} |");
            foreach (var set in setNames)
            {
                var v = Get("default")!.PerCondition[c].PerSet.GetValueOrDefault(set);
                var h = human?.PerCondition[c].PerSet.GetValueOrDefault(set);
                md.Append(v == null ? " – |" : $" {P(v[1], v[0])} / {(h == null ? "–" : P(h[1], h[0]))} ({v[0]}) |");
            }
            md.AppendLine();
        }
        md.AppendLine();

        var weakest = Enumerable.Range(0, conditions.Count).Where(c => conditions[c] is not Clean && Get("default")!.PerCondition[c].Faces > 0)
            .OrderBy(c => (double)Get("default")!.PerCondition[c].HitsIoU / Get("default")!.PerCondition[c].Faces).Take(3).ToList();
        md.AppendLine("Weakest conditions for VideoFer (default):");
        md.AppendLine();
        foreach (var c in weakest)
        {
            var d = Get("default")!.PerCondition[c];
            md.AppendLine($"- {conditions[c].Name}: VideoFer {P(d.HitsIoU, d.Faces)} %" +
                          (human != null ? $", Human {P(human.PerCondition[c].HitsIoU, human.PerCondition[c].Faces)} %" : "") + $" ({d.Faces} faces).");
        }
        md.AppendLine();
        md.AppendLine("Extra detections (matching no known face by either rule), per condition: " + string.Join("; ", Enumerable.Range(0, conditions.Count).Select(c =>
            $"{conditions[c].Name} " + string.Join("/", ids.Select(Get).Append(human).Where(r => r != null).Select(r => r!.PerCondition[c].Extra)))) +
            " (VideoFer default/without close-ups/without turned/without either" + (human != null ? "/Human" : "") + ").");
        return md.ToString();
    }

    string HumanLine()
    {
        if (humanInfo is not JsonElement e) return "ran";
        string version = e.TryGetProperty("human", out var v) ? v.ToString() : "?", tfjs = e.TryGetProperty("tfjs", out var t) ? t.ToString() : "?",
            backend = e.TryGetProperty("backend", out var b) ? b.ToString() : "?";
        return $"@vladmandic/human {version} on TF.js {tfjs} ({backend} backend), faces only, default detector settings (blazeface.json, minConfidence 0.2, iouThreshold 0.1, rotation off) " +
               "except maxDetected 20 (default 1) and cacheSensitivity 0 (no reuse of the previous image's boxes); its box brought back from its 1.4x enlarged square to BlazeFace's own box; " +
               $"{o.Threads} Node process(es) side by side; its images/s from its own wall time per image (tensor in, result out; not CPU time, so slowed by a loaded machine)";
    }

    void WriteCsv()
    {
        using var w = new StreamWriter(CsvPath);
        w.WriteLine("detector,set,image,condition,face,origin,hit_iou,hit_centre,best_iou");
        foreach (var r in results)
            foreach (var f in r.Faces.OrderBy(f => f.Image).ThenBy(f => f.Condition).ThenBy(f => f.Known))
                w.WriteLine(string.Join(',', r.Id, Csv(images[f.Image].Set), Csv(images[f.Image].Name), Csv(conditions[f.Condition].Name), f.Known,
                    known[f.Image][f.Known].Origin, f.HitIoU ? 1 : 0, f.HitCentre ? 1 : 0, f.BestIoU.ToString("F3", Inv)));
    }

    static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
