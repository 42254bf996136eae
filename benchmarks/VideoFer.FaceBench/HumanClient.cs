using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;

namespace VideoFer.FaceBench;

/// <summary>A face found by Human: BlazeFace's own box (Human's enlarged box brought back to it, see
/// reference/tfjs/human_faces.js) and its score.</summary>
readonly record struct Found(Rect2f Box, float Score);

/// <summary>One Node process running reference/tfjs/human_faces.js --serve: frames go to its stdin as raw RGB, one
/// JSON line per frame comes back. Not thread-safe: one per worker thread.</summary>
sealed class HumanClient : IDisposable
{
    readonly Process _node;
    readonly StreamWriter? _log;
    readonly Stream _stdin;
    int _next;

    public HumanClient(string node, string script, string? logPath)
    {
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--serve");
        _node = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {node}");
        if (logPath != null)
        {
            _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            _node.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.WriteLine(e.Data); };
        }
        else _node.ErrorDataReceived += (_, _) => { };
        _node.BeginErrorReadLine();
        _stdin = _node.StandardInput.BaseStream;
        var first = _node.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"{script} exited before it was ready (exit code {WaitExit()}; see {logPath ?? "its stderr"})");
        using var doc = JsonDocument.Parse(first);
        if (!doc.RootElement.TryGetProperty("ready", out _)) throw new InvalidOperationException($"{script}: unexpected first line {first}");
        Info = doc.RootElement.Clone();
    }

    /// <summary>Human's first line: versions, backend, the configuration it runs with.</summary>
    public JsonElement Info { get; }

    int WaitExit()
    {
        _node.WaitForExit(5000);
        return _node.HasExited ? _node.ExitCode : -1;
    }

    /// <summary>Faces in a BGR image, and Human's own time for them (ms, tensor in to result out).</summary>
    public (List<Found> Faces, double Ms) Detect(Mat bgr)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        int w = rgb.Width, h = rgb.Height, id = _next++;
        var header = new byte[12];
        BitConverter.TryWriteBytes(header.AsSpan(0), (uint)id);
        BitConverter.TryWriteBytes(header.AsSpan(4), (uint)w);
        BitConverter.TryWriteBytes(header.AsSpan(8), (uint)h);
        _stdin.Write(header);
        var pixels = new byte[w * h * 3];
        if (rgb.IsContinuous()) System.Runtime.InteropServices.Marshal.Copy(rgb.Data, pixels, 0, pixels.Length);
        else for (int y = 0; y < h; y++) System.Runtime.InteropServices.Marshal.Copy(rgb.Ptr(y), pixels, y * w * 3, w * 3);
        _stdin.Write(pixels);
        _stdin.Flush();
        var line = _node.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"human_faces.js exited (code {WaitExit()}) while detecting");
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.GetProperty("id").GetInt32() != id) throw new InvalidOperationException($"human_faces.js answered frame {root.GetProperty("id")} for {id}");
        var faces = new List<Found>();
        foreach (var f in root.GetProperty("faces").EnumerateArray())
        {
            var b = f.GetProperty("box");
            faces.Add(new Found(new Rect2f(b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle(), b[3].GetSingle()), f.GetProperty("score").GetSingle()));
        }
        return (faces, root.GetProperty("ms").GetDouble());
    }

    public void Dispose()
    {
        try
        {
            _stdin.Write(new byte[12]); // width 0: the end
            _stdin.Flush();
            _stdin.Close();
            if (!_node.WaitForExit(10000)) _node.Kill();
        }
        catch (IOException) { if (!_node.HasExited) _node.Kill(); }
        _node.Dispose();
        _log?.Dispose();
    }
}
