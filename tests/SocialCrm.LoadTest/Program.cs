using SocialCrm.LoadTest;
using SocialCrm.LoadTest.AppendCost;
using SocialCrm.LoadTest.Bare;
using SocialCrm.LoadTest.Growth;
using SocialCrm.LoadTest.IdleGrains;
using SocialCrm.LoadTest.Inbound;
using SocialCrm.LoadTest.Privacy;
using SocialCrm.LoadTest.Webhooks;
using SocialCrm.LoadTest.WebConsole;

// Measures a running node over HTTP (loopback only). Each mode creates a brand of its own, drives
// load, reads everything back to verify it, and ends with one machine-readable "RESULT key=value ..." line.
const string Usage = """
    usage:
      SocialCrm.LoadTest inbound --url U[,U2,...] --bootstrap-key K [--connections 64] [--conversations 2000]
                                   [--seconds 20] [--warmup 5] [--first-contact 1|0] [--text-length 64]
                                   [--max-messages N] [--server-pid P] [--allow-remote 0|1] [--rate MSGS-PER-S]
                                   [--texts filler|customer]
      SocialCrm.LoadTest idle-grains --url U --bootstrap-key K --server-pid P (--db PATH | --postgres CONNECTION-STRING)
                                   [--grains 100000] [--connections 32]
      SocialCrm.LoadTest growth --url U --bootstrap-key K (--db PATH | --postgres CONNECTION-STRING) [--steps 10000,10000000]
                                   [--messages-per-conversation 100] [--samples 1000] [--connections 4] [--probes 20]
      SocialCrm.LoadTest bare [--connections 64] [--conversations 2000] [--seconds 20] [--warmup 5] [--text-length 64]
      SocialCrm.LoadTest append-cost --url U --bootstrap-key K [--messages 10000] [--window 100]
                                   [--early-from 10] [--max-seconds 900] [--server-pid P]
      SocialCrm.LoadTest privacy --url U --bootstrap-key K [--conversations 100] [--messages-per-conversation 100]
                                   [--connections 50] [--other-customers 5] [--other-messages 20] [--request-timeout 600]
                                   [--db PATH] [--server-pid P]
      SocialCrm.LoadTest consent-report --url U --bootstrap-key K --server-pid P (--db PATH | --postgres CONNECTION-STRING)
                                   [--customers 1000000] [--consent-every 10] [--batch 100000] [--sample-ms 10]
                                   [--request-timeout 1800]
      SocialCrm.LoadTest webhooks --url U --bootstrap-key K [--connections 16] [--seconds 20] [--conversations 200]
                                   [--drain-seconds 180] [--max-messages 1000000] [--server-pid P]
      SocialCrm.LoadTest console --url U --bootstrap-key K (--db PATH | --postgres CONNECTION-STRING) [--conversations 100000]
                                   [--long-messages 10000] [--samples 10] [--live-samples 50]
      SocialCrm.LoadTest screenshots --url U --bootstrap-key K [--out docs/screenshots]
    inbound first sends one message to each conversation (first contact, measured apart; --first-contact 0 skips it).
    --texts customer sends 20 varied English customer messages (praise, complaints, questions) in turn instead of one
    filler text of --text-length characters, so the insights analyzer does the work it does in production.
    --rate paces the connections to that total rate (latency at a chosen load); without it they send as fast as acks come.
    With several URLs (the nodes of a cluster) each connection keeps to one node; all are checked through the first.
    bare is the HTTP ceiling: it starts a bare ASP.NET Core endpoint (same route, same JSON binding, 202, nothing stored)
    in a child process and drives it as inbound drives the service.
    idle-grains seeds conversations into the service's database, activates each with a GET, and reports the growth
    of the service's managed heap (after a full GC it induces over EventPipe) per activated conversation grain.
    growth times the inbox's first page, a conversation, its latest messages and a customer profile (p50/p99) at each step
    of stored messages, seeding the brand's log straight into the database between steps.
    privacy times the access export and the erasure of one customer with conversations x messages-per-conversation messages
    (one web-chat channel per conversation); --db (the service's SQLite file) adds its size to the report.
    consent-report seeds the customers straight into the service's database (SQLite file or PostgreSQL), then streams
    the marketing consent report as CSV and as JSON while sampling the service's memory (/proc/P/status).
    webhooks needs the service started with Webhooks__AllowPrivateNetworks=true: its receiver listens on 127.0.0.1.
    console seeds a brand's conversations and one long conversation, then drives the web console in Debian's Chromium
    (Playwright): the inbox's and the long conversation's render times, and ack-to-top-of-inbox latency of live messages.
    screenshots fills a demo brand through the API and saves a picture of each of the console's main screens.
    U must be a loopback address. --server-pid adds the service's CPU use to the report (Linux).
    Exit code: 0 when every acked message was verified, 1 when not, 2 for a usage error.
    """;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var arguments = Arguments.Parse(args);
    return arguments.Mode switch
    {
        "inbound" => await InboundBenchmark.RunAsync(InboundSettings.From(arguments), cancellation.Token),
        "bare" => await BareEndpoint.RunAsync(arguments, cancellation.Token),
        "bare-server" => await BareEndpoint.ServeAsync(arguments),
        "growth" => await GrowthBenchmark.RunAsync(GrowthSettings.From(arguments), cancellation.Token),
        "idle-grains" => await IdleGrainsBenchmark.RunAsync(IdleGrainsSettings.From(arguments), cancellation.Token),
        "append-cost" => await AppendCostBenchmark.RunAsync(AppendCostSettings.From(arguments), cancellation.Token),
        "privacy" => await PrivacyBenchmark.RunAsync(PrivacySettings.From(arguments), cancellation.Token),
        "consent-report" => await ConsentReportBenchmark.RunAsync(ConsentReportSettings.From(arguments), cancellation.Token),
        "webhooks" => await WebhooksBenchmark.RunAsync(WebhooksSettings.From(arguments), cancellation.Token),
        "console" => await ConsoleBenchmark.RunAsync(ConsoleSettings.From(arguments), cancellation.Token),
        "screenshots" => await ConsoleScreenshots.RunAsync(ScreenshotSettings.From(arguments), cancellation.Token),
        _ => throw new UsageException($"Unknown mode '{arguments.Mode}'."),
    };
}
catch (UsageException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
