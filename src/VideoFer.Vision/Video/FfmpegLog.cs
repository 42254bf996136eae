using System.Runtime.InteropServices;
using OpenCvSharp;

namespace VideoFer.Vision.Video;

/// <summary>Keeps FFmpeg's own diagnostics ("moov atom not found", "invalid NAL unit", ...) off the
/// terminal: a bad file is reported once, as a <see cref="VideoFerException"/> naming it. OpenCV reads
/// OPENCV_FFMPEG_LOGLEVEL from the native environment when it first initialises FFmpeg, which .NET's
/// Environment.SetEnvironmentVariable does not reach on Unix, hence libc's setenv. A value the user set
/// is kept (overwrite = 0), so FFmpeg's messages can still be had for debugging. OpenCV's own warning
/// on a failed open is lowered to errors likewise, unless OPENCV_LOG_LEVEL is set.</summary>
internal static class FfmpegLog
{
    const string Variable = "OPENCV_FFMPEG_LOGLEVEL";
    const string Quiet = "-8"; // AV_LOG_QUIET
    static int _done;

    public static void SilenceOnce()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") is null)
            Cv2.SetLogLevel(LogLevel.ERROR);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        try { _ = SetEnv(Variable, Quiet, 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnv(string name, string value, int overwrite);
}
