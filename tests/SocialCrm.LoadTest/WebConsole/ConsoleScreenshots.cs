using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SocialCrm.LoadTest.WebConsole;

public sealed record ScreenshotSettings(Uri Url, string BootstrapKey, string OutputDirectory)
{
    public static ScreenshotSettings From(Arguments args)
    {
        var settings = new ScreenshotSettings(args.LoopbackUrl("url"), args.Text("bootstrap-key"), args.Text("out", "docs/screenshots"));
        args.RefuseUnknown();
        return settings;
    }
}

/// <summary>
/// Pictures of the console's main screens for the README: a demo brand is filled through the API as a
/// small shop would see a day (private chats, comments under a post, praise and complaints), then each
/// screen is opened in Debian's Chromium and saved as a PNG.
/// </summary>
public static class ConsoleScreenshots
{
    private static readonly (string User, string Name, string Text, bool Public)[] Day =
    [
        ("u-ann", "Ann", "My order #4411 still hasn't arrived and nobody answers my emails. This is really frustrating.", false),
        ("u-bob", "Bob", "The new headphones are amazing, the battery lasts all week! Thank you!", false),
        ("u-cy", "Cy", "Do you ship to Canada? And how long does it take?", false),
        ("u-dee", "Dee", "Worst customer service ever. The charger broke after two days.", true),
        ("u-eli", "Eli", "Love the colours of the spring collection 😍", true),
        ("u-fay", "Fay", "I use the speaker case as a plant pot, works great for my balcony herbs lol", true),
        ("u-gus", "Gus", "The app keeps crashing when I try to pay. Please fix it!!", false),
        ("u-hal", "Hal", "Great battery, fast delivery, friendly staff. Five stars.", true),
        ("u-ivy", "Ivy", "Not bad, but the strap feels cheap.", false),
        ("u-jo", "Jo", "Can I change the delivery address for order #4520?", false),
    ];

    public static async Task<int> RunAsync(ScreenshotSettings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = settings.Url };
        var brandId = "demo-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var created = await Send(http, HttpMethod.Post, "v1/brands", settings.BootstrapKey, new { id = brandId, name = "Demo shop" }, cancellationToken);
        var adminKey = created!["adminKey"]!.GetValue<string>();
        string B(string rest) => $"v1/brands/{brandId}/{rest}";
        await Send(http, HttpMethod.Post, B("channels"), adminKey, new { id = "web", platform = "webchat", externalAccountId = "shop-site", displayName = "Web chat" }, cancellationToken);
        await Send(http, HttpMethod.Post, B("channels"), adminKey, new { id = "fb", platform = "messenger", externalAccountId = "shop-page", displayName = "Facebook page", secrets = new { appSecret = "demo-app-secret", pageAccessToken = "demo-page-token" } }, cancellationToken);
        await Send(http, HttpMethod.Post, B("api-keys"), adminKey, new { name = "sam", role = "agent" }, cancellationToken);
        await Send(http, HttpMethod.Post, B("api-keys"), adminKey, new { name = "cora", role = "compliance" }, cancellationToken);

        JsonNode? first = null;
        var n = 0;
        foreach (var (user, name, text, isPublic) in Day)
        {
            var accepted = await Send(http, HttpMethod.Post, B($"channels/{(isPublic ? "fb" : "web")}/inbound"), adminKey, new
            {
                externalMessageId = $"demo-{++n}",
                externalUserId = user,
                userDisplayName = name,
                text,
                timestamp = DateTimeOffset.UtcNow.AddMinutes(-5 * (Day.Length - n)),
                thread = new { visibility = isPublic ? "public" : "private", externalThreadId = isPublic ? "post-spring" : null },
            }, cancellationToken);
            first ??= accepted;
        }
        var conversationId = first!["conversationId"]!.GetValue<string>();
        var customerId = first["customerId"]!.GetValue<string>();
        await Send(http, HttpMethod.Post, B($"conversations/{conversationId}/assign"), adminKey, new { agentId = "sam" }, cancellationToken);
        await Send(http, HttpMethod.Post, B($"conversations/{conversationId}/messages"), adminKey,
            new { text = "Hi Ann, I'm sorry about the wait. I've checked with the courier: your parcel arrives tomorrow.", purpose = "service" }, cancellationToken);
        await Send(http, HttpMethod.Put, B($"customers/{customerId}/consents/marketing"), adminKey,
            new { status = "granted", lawfulBasis = "consent", source = "web form", evidence = "newsletter checkbox, form v3", policyVersion = "2026-10" }, cancellationToken);
        // The mood's aggregates are flushed about every second.
        await Task.Delay(2500, cancellationToken);

        Directory.CreateDirectory(settings.OutputDirectory);
        var (playwright, browser, page) = await Chromium.OpenAsync(settings.Url, 860, 30_000);
        using var _ = playwright;
        await using var __ = browser;
        await page.GotoAsync("/app/login");
        await Save(page, settings, "sign-in");
        await Chromium.SignInAsync(page, adminKey);
        await page.Locator("[data-test=inbox] [data-test=customer]").Nth(Day.Count(d => !d.Public)).WaitForAsync(); // the private chats and the one public thread
        await Save(page, settings, "inbox");
        foreach (var (screen, path, ready) in new[]
        {
            ("conversation", $"/app/conversations/{conversationId}", "[data-test=message]"),
            ("customer", $"/app/customers/{customerId}", "[data-test=consent-state]"),
            ("mood", "/app/mood", "svg"),
            ("compliance", "/app/compliance", "[data-test=audit-verification]"),
            ("settings", "/app/settings", "[data-test=key-list]"),
        })
        {
            await page.GotoAsync(path);
            await page.Locator(ready).First.WaitForAsync();
            await Save(page, settings, screen);
        }
        Console.WriteLine($"RESULT mode=screenshots brand={brandId} out={settings.OutputDirectory}");
        return 0;
    }

    private static async Task Save(IPage page, ScreenshotSettings settings, string name)
    {
        // Let charts and transitions settle before the picture.
        await page.WaitForTimeoutAsync(700);
        var file = Path.Combine(settings.OutputDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        Console.WriteLine($"  {file}");
    }

    private static async Task<JsonNode?> Send(HttpClient http, HttpMethod method, string path, string key, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }
}

/// <summary>Debian's Chromium, as the console's browser tools launch it.</summary>
public static class Chromium
{
    public static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static string Path() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "chromium")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is not installed: apt-get install -y chromium.");

    /// <summary>A headless Chromium with one page on the service, its actions waiting up to <paramref name="timeoutMs"/>.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser, IPage Page)> OpenAsync(Uri url, int height, int timeoutMs)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path(), Headless = true, Args = Arguments });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url.ToString(), ViewportSize = new() { Width = 1400, Height = height } });
        context.SetDefaultTimeout(timeoutMs);
        return (playwright, browser, await context.NewPageAsync());
    }

    /// <summary>Types the key into the console's sign-in form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.FillAsync("[data-test=key]", key);
        await page.ClickAsync("[data-test=sign-in]");
    }
}
