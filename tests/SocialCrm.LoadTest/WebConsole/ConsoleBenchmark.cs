using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Seeding;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.WebConsole;

public sealed record ConsoleSettings(Uri Url, string BootstrapKey, SeedTarget Target, int Conversations, int LongMessages,
    int RenderSamples, int LiveSamples)
{
    public static ConsoleSettings From(Arguments args)
    {
        var settings = new ConsoleSettings(args.LoopbackUrl("url"), args.Text("bootstrap-key"), SeedTarget.From(args),
            args.Int("conversations", 100_000, 1, 10_000_000), args.Int("long-messages", 10_000, 1, 1_000_000),
            args.Int("samples", 10, 1, 1000), args.Int("live-samples", 50, 1, 10_000));
        args.RefuseUnknown();
        return settings;
    }
}

/// <summary>
/// The web console as a person meets it, in Debian's Chromium driven by Playwright: the inbox's first
/// render over a brand of many conversations, a long conversation's first render, and how soon a
/// message acked by the API moves its conversation to the top of an open inbox. The brand's
/// conversations are seeded straight into the database (as the growth mode does); the live messages
/// go through the API.
/// </summary>
public static class ConsoleBenchmark
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(ConsoleSettings settings, CancellationToken cancellationToken)
    {
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, 4, cancellationToken);
        var adminKey = session.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var run = DateTime.UtcNow.ToString("HHmmss", Invariant);
        var seeded = await ConversationSeeder.SeedAsync(settings.Target, session.BrandId, BrandSession.ChannelId, run + "i",
            settings.Conversations, 1, cancellationToken);
        var longSeeded = await ConversationSeeder.SeedAsync(settings.Target, session.BrandId, BrandSession.ChannelId, run + "l",
            1, settings.LongMessages, cancellationToken);
        var longConversation = ConversationSeeder.ConversationId(run + "l", 0);
        Console.WriteLine(string.Create(Invariant,
            $"console: brand {session.BrandId} with {settings.Conversations} conversations (seeded in {seeded.TotalSeconds:0.0} s) and one of {settings.LongMessages} messages ({longSeeded.TotalSeconds:0.0} s), against {settings.Url}"));

        var (playwright, browser, page) = await Chromium.OpenAsync(settings.Url, 900, 60_000);
        using var _ = playwright;
        await using var __ = browser;
        await page.GotoAsync("/app/login");
        await Chromium.SignInAsync(page, adminKey);
        await page.Locator("[data-test=inbox] [data-test=customer]").First.WaitForAsync();

        // 1. The inbox's first page: the API's answer (server), and the page from navigation to rows shown (browser).
        var apiInbox = new List<double>();
        var inboxRender = new List<double>();
        for (var i = 0; i < settings.RenderSamples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var response = await session.Http.GetAsync($"v1/brands/{session.BrandId}/conversations?limit=50", cancellationToken))
                response.EnsureSuccessStatusCode();
            apiInbox.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            await page.GotoAsync("/app/inbox");
            await page.Locator("[data-test=inbox] [data-test=customer]").Nth(49).WaitForAsync();
            inboxRender.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // 2. The long conversation: from navigation until its newest message is on screen.
        var apiConversation = new List<double>();
        var conversationRender = new List<double>();
        for (var i = 0; i < settings.RenderSamples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var response = await session.Http.GetAsync($"v1/brands/{session.BrandId}/conversations/{longConversation}/messages?afterSeq={Math.Max(0, settings.LongMessages - 50)}&limit=50", cancellationToken))
                response.EnsureSuccessStatusCode();
            apiConversation.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            await page.GotoAsync($"/app/conversations/{longConversation}");
            await page.Locator($"[data-test=message][data-seq='{settings.LongMessages}']").WaitForAsync();
            conversationRender.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // 3. Live: a message acked by the API, until its conversation is the inbox's top row in the open page.
        await page.GotoAsync("/app/inbox");
        await page.Locator("[data-test=live]").Filter(new() { HasText = "live" }).WaitForAsync();
        var live = new List<double>();
        for (var i = 0; i < settings.LiveSamples; i++)
        {
            var outcome = await session.SendInboundAsync($"live-{run}-{i}", $"live-user-{run}-{i}", "Hello, is anyone there?", cancellationToken);
            var acked = Stopwatch.GetTimestamp();
            if (outcome.Accepted is not { } accepted) throw new InvalidOperationException($"A live message was refused: {outcome.ErrorKind}");
            await page.WaitForFunctionAsync(
                "id => document.querySelector('[data-test=inbox] [data-test=customer]')?.textContent?.trim() === id",
                accepted.CustomerId, new() { PollingInterval = 5, Timeout = 30_000 });
            live.Add(Stopwatch.GetElapsedTime(acked).TotalMilliseconds);
        }

        Report("inbox first page (API, 50 rows)", apiInbox);
        Report("inbox render (browser, 50 rows)", inboxRender);
        Report("conversation newest page (API)", apiConversation);
        Report("conversation render (browser)", conversationRender);
        Report("live: ack -> top of inbox", live);
        Console.WriteLine(string.Create(Invariant,
            $"RESULT mode=console conversations={settings.Conversations} long_messages={settings.LongMessages} inbox_api_p50_ms={Median(apiInbox):0.0} inbox_render_p50_ms={Median(inboxRender):0.0} inbox_render_p95_ms={P95(inboxRender):0.0} conversation_api_p50_ms={Median(apiConversation):0.0} conversation_render_p50_ms={Median(conversationRender):0.0} conversation_render_p95_ms={P95(conversationRender):0.0} live_p50_ms={Median(live):0.0} live_p95_ms={P95(live):0.0} live_max_ms={live.Max():0.0}"));
        return P95(live) < 1000 ? 0 : 1;
    }

    private static double Median(List<double> values) => Percentiles.Median(values);

    private static double P95(List<double> values) => Percentiles.Of(values.Order().ToList(), 95);

    private static void Report(string what, List<double> values) =>
        Console.WriteLine(string.Create(Invariant,
            $"  {what,-34} n={values.Count,-4} p50 {Median(values),8:0.0} ms  p95 {P95(values),8:0.0} ms  max {values.Max(),8:0.0} ms"));
}
