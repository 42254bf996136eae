namespace VideoFer.TestSupport;

/// <summary>Base of a test class that needs a fresh folder per test (xunit makes one instance per test
/// and disposes it): <see cref="dir"/>, deleted afterwards.</summary>
public abstract class TempFolderTest : IDisposable
{
    readonly TempDir _temp = new();

    // Lower-case to read like the local folder the tests have always used.
#pragma warning disable IDE1006
    protected string dir => _temp.Path;
#pragma warning restore IDE1006

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
