using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace VideoFer.TestSupport;

/// <summary>Debian's chromium, headless, driven through Debian's chromedriver (apt packages <c>chromium</c> and
/// <c>chromium-driver</c>, installed by <c>scripts/setup.sh --test</c>). Both paths are given to Selenium, so its
/// Selenium Manager never runs and nothing is downloaded. A missing browser is a failure, not a skip.
/// Console messages are kept (<c>goog:loggingPrefs</c>) for <see cref="ConsoleErrors"/>; media may play
/// without a gesture (muted) so that tests can play a video.</summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    public ChromeDriver Driver { get; }

    public Browser(int width = 1280, int height = 1400)
    {
        foreach (var path in new[] { ChromiumPath, DriverPath })
            if (!File.Exists(path))
                throw new InvalidOperationException($"{path} is missing: the browser tests need Debian's chromium and chromium-driver (bash scripts/setup.sh --test installs them)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}",
            "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--allow-file-access-from-files");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Opens a local file and waits for the page's script to mark it ready (<c>html[data-ready]</c>) when
    /// <paramref name="scripted"/>.</summary>
    public void Open(string file, bool scripted = true)
    {
        Driver.Navigate().GoToUrl(new Uri(Path.GetFullPath(file)).AbsoluteUri);
        if (scripted) Until(d => (string?)d.ExecuteScript("return document.documentElement.getAttribute('data-ready')") == "true", "the page's script to finish");
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) for <paramref name="condition"/>; fails naming <paramref name="what"/>.</summary>
    public void Until(Func<ChromeDriver, bool> condition, string what, double seconds = 20)
    {
        var wait = new DefaultWait<ChromeDriver>(Driver) { Timeout = TimeSpan.FromSeconds(seconds), PollingInterval = TimeSpan.FromMilliseconds(100) };
        try { wait.Until(condition); }
        catch (WebDriverTimeoutException) { throw new TimeoutException($"waited {seconds} s for {what}"); }
    }

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Console errors and failed loads the page logged so far (level SEVERE).</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message).ToList();

    /// <summary>Saves a PNG screenshot of the window.</summary>
    public string Screenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
