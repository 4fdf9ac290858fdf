using System.Diagnostics;
using System.Globalization;
using System.Net;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Seeding;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.IdleGrains;

public sealed record IdleGrainsSettings(Uri Url, string BootstrapKey, int ServerPid, SeedTarget Target, int Grains, int Connections)
{
    public static IdleGrainsSettings From(Arguments args)
    {
        var settings = new IdleGrainsSettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            args.Int("server-pid", 0, 1, int.MaxValue),
            SeedTarget.From(args),
            args.Int("grains", 100_000, 1, 5_000_000),
            args.Int("connections", 32, 1, 256));
        args.RefuseUnknown();
        return settings;
    }
}

/// <summary>
/// Memory per idle conversation grain: seeds N conversations (one message each) into the
/// service's database, reads the service's managed heap after a full GC, activates every
/// conversation with one GET (which answers from the grain), reads the heap again, and divides.
/// The grains then sit idle: nothing else touches them before the second reading.
/// </summary>
public static class IdleGrainsBenchmark
{
    public static async Task<int> RunAsync(IdleGrainsSettings settings, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, settings.Connections, cancellationToken);
        Console.WriteLine(string.Create(invariant, $"idle-grains: {settings.Grains} conversations of brand {session.BrandId}, activated with {settings.Connections} connections"));
        var run = DateTime.UtcNow.ToString("HHmmss", invariant);
        var seeded = await ConversationSeeder.SeedAsync(settings.Target, session.BrandId, BrandSession.ChannelId, run, settings.Grains, 1, cancellationToken);
        Console.WriteLine(string.Create(invariant, $"  seeded           {settings.Grains} conversations in {seeded.TotalSeconds:0.0} s"));

        var heapBefore = await ManagedHeap.AfterFullCollectionAsync(settings.ServerPid, cancellationToken);
        var rssBefore = MemoryReading.Of(settings.ServerPid)?.ResidentBytes;
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var failures = 0;
        string? sample = null;
        await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < settings.Grains; i = Interlocked.Increment(ref next))
            {
                var id = ConversationSeeder.ConversationId(run, i);
                using var response = await session.Http.GetAsync($"v1/brands/{session.BrandId}/conversations/{id}", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) continue;
                Interlocked.Increment(ref failures);
                sample ??= $"{(int)response.StatusCode} {BrandSession.Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}";
            }
        }, cancellationToken)));
        var activation = Stopwatch.GetElapsedTime(started);
        var heapAfter = await ManagedHeap.AfterFullCollectionAsync(settings.ServerPid, cancellationToken);
        var rssAfter = MemoryReading.Of(settings.ServerPid)?.ResidentBytes;

        var activated = settings.Grains - failures;
        var perGrain = activated > 0 ? (heapAfter - heapBefore) / (double)activated : double.NaN;
        var rssPerGrain = rssBefore is { } b && rssAfter is { } a && activated > 0 ? (a - b) / (double)activated : double.NaN;
        Console.WriteLine(string.Create(invariant, $"  activated        {activated} of {settings.Grains} in {activation.TotalSeconds:0.0} s ({activated / activation.TotalSeconds:0} /s); {failures} failed{(sample is null ? "" : ": " + sample)}"));
        Console.WriteLine(string.Create(invariant, $"  managed heap     {heapBefore / 1048576.0:0.0} MiB -> {heapAfter / 1048576.0:0.0} MiB after a full GC: {perGrain:0} bytes ({perGrain / 1024:0.00} KiB) per idle grain"));
        Console.WriteLine(string.Create(invariant, $"  resident (RSS)   {(rssBefore ?? 0) / 1048576.0:0.0} MiB -> {(rssAfter ?? 0) / 1048576.0:0.0} MiB: {rssPerGrain:0} bytes per grain"));
        var passed = failures == 0;
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=idle-grains grains={activated} failed={failures} heap_before={heapBefore} heap_after={heapAfter} bytes_per_grain={perGrain:0} rss_bytes_per_grain={rssPerGrain:0} activations_per_s={activated / activation.TotalSeconds:0} verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }
}
