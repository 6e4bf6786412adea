using Microsoft.Playwright;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// One headless Chromium for every test of this project (launching one takes about a second). It is Debian's own
/// browser (<c>/usr/bin/chromium</c>, or <c>SMARTCHAIN_CHROMIUM</c>), driven by Playwright for .NET: Playwright
/// downloads no browser. A machine without it fails every test here with the command that installs it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where the browser is looked for.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SMARTCHAIN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: the repository's TestResults/ (beside the TRX files), else the working folder's.</summary>
    public static string ResultsFolder { get; } = FindResultsFolder();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: the explorer tests run the page in headless Chromium. " +
                "Install it with `sudo tools/install-test-deps.sh` (apt-get install chromium), or set SMARTCHAIN_CHROMIUM to a Chromium binary.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page whose console errors and uncaught exceptions are collected in <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors, int width = 1280, int height = 900)
    {
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.PageError += (_, e) => { lock (errors) { errors.Add($"page error: {e}"); } };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                lock (errors) { errors.Add($"HTTP {r.Status} for {r.Url}"); }
            }
        };
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                lock (errors) { errors.Add($"console: {m.Text}"); }
            }
        };
        return page;
    }

    private static string FindResultsFolder()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SmartChain.slnx")))
            {
                return Directory.CreateDirectory(Path.Combine(d.FullName, "TestResults")).FullName;
            }
        }

        return Directory.CreateDirectory(Path.Combine(Environment.CurrentDirectory, "TestResults")).FullName;
    }
}
