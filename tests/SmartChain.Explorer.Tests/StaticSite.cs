using Microsoft.Playwright;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// Serves the explorer's files (copied from src/SmartChain.Api/wwwroot into the test output) to a page by request
/// interception, so the JavaScript can be tested without a node. The origin is http://127.0.0.1, a secure context, as
/// WebCrypto requires; no socket is opened.
/// </summary>
public static class StaticSite
{
    /// <summary>The origin pages are served under.</summary>
    public const string Origin = "http://127.0.0.1:9";

    /// <summary>A blank page of that origin from which the ES modules can be imported.</summary>
    public static async Task OpenBlankAsync(IPage page)
    {
        string root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        await page.RouteAsync(Origin + "/**", async route =>
        {
            string path = new Uri(route.Request.Url).AbsolutePath;
            if (path == "/blank")
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<!doctype html><title>harness</title>" });
                return;
            }

            string file = Path.GetFullPath(Path.Combine(root, path.TrimStart('/')));
            if (!file.StartsWith(root, StringComparison.Ordinal) || !File.Exists(file))
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "not found" });
                return;
            }

            string type = Path.GetExtension(file) switch
            {
                ".js" => "text/javascript",
                ".css" => "text/css",
                ".html" => "text/html",
                _ => "application/octet-stream",
            };
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = type, BodyBytes = await File.ReadAllBytesAsync(file) });
        });
        await page.GotoAsync(Origin + "/blank");
    }
}
