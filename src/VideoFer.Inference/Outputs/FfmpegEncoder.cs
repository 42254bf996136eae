using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;

namespace VideoFer.Inference.Outputs;

/// <summary>Encodes frames into an H.264 MP4 that browsers play (yuv420p, even dimensions, faststart), through a
/// system <c>ffmpeg</c> fed raw BGR frames on its standard input. The FFmpeg inside OpenCvSharp's runtime has no
/// such encoder (its only H.264 encoder is h264_v4l2m2m, a hardware one; no libx264, libvpx or AV1: checked by
/// <c>BrowserVideoTests</c>), so where no suitable ffmpeg is found the annotated video stays MPEG-4 Part 2 (mp4v),
/// which browsers do not play, and the report says why.
/// <para>Which ffmpeg: <c>VIDEOFER_FFMPEG</c> (a path to the program, or <c>none</c> to use none), else
/// <c>ffmpeg</c> on <c>PATH</c>. It must have the libx264 encoder (Debian's has).</para></summary>
public sealed class FfmpegEncoder : IDisposable
{
    /// <summary>The environment variable that names the ffmpeg to use, or <c>none</c>.</summary>
    public const string Variable = "VIDEOFER_FFMPEG";

    /// <summary>An ffmpeg to use, or why there is none (one sentence for the report).</summary>
    public sealed record Availability(string? Program, string? WhyNot);

    static readonly Lock Gate = new();
    static readonly Dictionary<string, Availability> Checked = [];

    /// <summary>Finds ffmpeg as <see cref="Variable"/> or PATH say, and checks once per program that it has libx264.</summary>
    public static Availability Find() => Find(Environment.GetEnvironmentVariable);

    /// <summary><see cref="Find()"/> with the environment read from <paramref name="environment"/>.</summary>
    public static Availability Find(Func<string, string?> environment)
    {
        string? setting = environment(Variable);
        if (string.Equals(setting, "none", StringComparison.OrdinalIgnoreCase))
            return new(null, $"{Variable}=none");
        string? program = string.IsNullOrEmpty(setting) ? OnPath("ffmpeg", environment("PATH")) : setting;
        if (program is null) return new(null, "ffmpeg was not found on PATH (apt-get install ffmpeg)");
        if (!File.Exists(program)) return new(null, $"{Variable}={program}: no such file");
        lock (Gate)
        {
            if (Checked.TryGetValue(program, out var known)) return known;
            var found = Probe(program);
            Checked[program] = found;
            return found;
        }
    }

    static Availability Probe(string program)
    {
        try
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-hide_banner", "-encoders" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string encoders = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = err.Result;
            return encoders.Contains(" libx264 ", StringComparison.Ordinal)
                ? new(program, null)
                : new(null, $"{program} has no libx264 encoder");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new(null, $"{program} could not be run ({e.Message})");
        }
    }

    static string? OnPath(string name, string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    readonly Process _process;
    readonly Stream _input;
    readonly Task<string> _errors;
    readonly int _width, _height;
    readonly byte[] _buffer;
    readonly string _output;

    /// <summary>Starts ffmpeg writing <paramref name="output"/> (an MP4) from frames of this size and rate.</summary>
    public FfmpegEncoder(string program, string output, int width, int height, double fps)
    {
        _width = width;
        _height = height;
        _output = output;
        _buffer = new byte[width * height * 3];
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        string rate = (fps > 0 ? fps : 25).ToString("0.######", CultureInfo.InvariantCulture);
        foreach (var a in new[]
                 {
                     "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                     "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}", "-r", rate, "-i", "pipe:0",
                     "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
                     // yuv420p needs even sides: pad odd ones by a pixel rather than scale the picture.
                     "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-movflags", "+faststart", "-f", "mp4", output,
                 })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new VideoFerException($"{output}: could not start {program}");
        _process.StandardOutput.Close();
        _errors = _process.StandardError.ReadToEndAsync();
        _input = _process.StandardInput.BaseStream;
    }

    /// <summary>Sends one BGR frame (the size given at the start).</summary>
    public void Write(Mat frame)
    {
        if (frame.Width != _width || frame.Height != _height || frame.Type() != MatType.CV_8UC3)
            throw new VideoFerException($"{_output}: frame of {frame.Width}x{frame.Height} ({frame.Type()}) in a {_width}x{_height} BGR video");
        using var continuous = frame.IsContinuous() ? null : frame.Clone();
        System.Runtime.InteropServices.Marshal.Copy((continuous ?? frame).Data, _buffer, 0, _buffer.Length);
        try
        {
            _input.Write(_buffer);
        }
        catch (IOException)
        {
            Finish(); // ffmpeg stopped: its own message says why
            throw new VideoFerException($"{_output}: ffmpeg stopped while encoding");
        }
    }

    /// <summary>Closes the input and waits for ffmpeg; a failure is a <see cref="VideoFerException"/> with ffmpeg's message.</summary>
    public void Finish()
    {
        try { _input.Dispose(); } catch (IOException) { }
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            string message = _errors.Result.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
            throw new VideoFerException($"{_output}: ffmpeg failed (exit code {_process.ExitCode}){(message.Length > 0 ? ": " + message : "")}");
        }
    }

    public void Dispose()
    {
        try { _input.Dispose(); } catch (IOException) { }
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
