using System.Runtime.InteropServices;
using VideoFer.Models.Runtime;

namespace VideoFer.Models.Tests;

/// <summary>libtorch's C++ log level after <see cref="TorchLog.ErrorsOnly"/>: c10's own flag, read back from
/// libc10.so (2 = ERROR; libtorch's default is 0 = INFO and lower levels print warnings).</summary>
public class TorchLogTests
{
    [Fact]
    public void LibTorchLogsErrorsOnly()
    {
        Assert.True(TorchLog.ErrorsOnly());
        IntPtr c10 = NativeLibrary.Load("c10", typeof(TorchLog).Assembly, null);
        Assert.Equal(2, Marshal.ReadInt32(NativeLibrary.GetExport(c10, "FLAGS_caffe2_log_level")));
    }
}
